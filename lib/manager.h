/* SPDX-License-Identifier: MIT */
/* The state of a running systemd, asked of the manager itself over its
 * private socket (/run/systemd/private): a peer-to-peer D-Bus connection,
 * the one systemctl uses as root. Three read-only calls; nothing else. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SC_MANAGER_SOCKET "/run/systemd/private"
/* The manager answers in milliseconds even mid-boot; a peer that does
 * not answer within this is reported, not waited for. */
#define SC_MANAGER_TIMEOUT_MS 1000u

struct sc_manager_state {
	char *version;	     /* the Version property: "252.39-1~deb12u1" */
	char *system_state;  /* SystemState: "running", "degraded", "starting", ... */
	char **failed_units; /* ListUnitsFiltered(["failed"]), sorted */
};
void sc_manager_state_done(struct sc_manager_state *s);
void sc_manager_state_copy(const struct sc_manager_state *s, struct sc_manager_state *ret);

/* Talk to the manager on a connected stream socket: authenticate
 * (EXTERNAL), then Properties.Get Version and SystemState, and
 * ListUnitsFiltered (ListUnits for systemd < 230). Everything the peer
 * sends is bounded and checked: a peer is a process in a container.
 * Returns 0, or -EACCES (authentication refused), -ECONNRESET (the
 * manager closed the connection: it drops peers it cannot identify, in
 * another user or PID namespace), -ETIMEDOUT, -EPROTO
 * (not D-Bus), -EBADMSG (a malformed message), -EFBIG, -EREMOTEIO (the
 * manager answered with an error), or the socket's -errno. */
int sc_manager_query(int fd, unsigned timeout_ms, struct sc_manager_state *ret);

/* ---- the D-Bus wire format, exposed for tests --------------------------- */

enum {
	SC_DBUS_METHOD_CALL = 1,
	SC_DBUS_METHOD_RETURN = 2,
	SC_DBUS_ERROR = 3,
	SC_DBUS_SIGNAL = 4,
};

/* Largest message accepted from a peer. */
#define SC_DBUS_MESSAGE_MAX (8u * 1024u * 1024u)

struct sc_dbus_message {
	uint8_t type;
	bool big_endian;
	uint32_t serial;
	uint32_t reply_serial; /* 0 when absent */
	char *signature;       /* of the body, "" when absent */
	char *error_name;      /* NULL unless an error */
	const uint8_t *body;   /* into the parsed buffer */
	size_t body_size;
};
void sc_dbus_message_done(struct sc_dbus_message *m);

/* Size of the whole message whose first 16 bytes are given: 0 and the
 * size, or -EBADMSG / -EFBIG. */
int sc_dbus_message_size(const uint8_t head[16], size_t *ret_size);
/* Parse one whole message (header fields checked, body located). */
int sc_dbus_message_parse(const uint8_t *buf, size_t size, struct sc_dbus_message *ret);

/* Bodies: "v" holding a string, and "a(ssssssouso)" (ListUnits): the
 * names of the units whose active state is active_state (NULL: all). */
int sc_dbus_body_variant_string(const struct sc_dbus_message *m, char **ret);
int sc_dbus_body_unit_names(const struct sc_dbus_message *m, const char *active_state, char ***ret);

/* A method call, marshalled (little endian), to systemd1's manager
 * object. body_sig is "", "ss" or "as"; args are its strings (for "as",
 * a NULL-terminated list). Returns the size; *ret is allocated. */
size_t sc_dbus_call_build(uint32_t serial, const char *interface, const char *member,
			  const char *body_sig, const char *const *args, uint8_t **ret);
