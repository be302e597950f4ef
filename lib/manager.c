/* SPDX-License-Identifier: MIT */
/* A minimal D-Bus client for one peer, systemd's manager on its private
 * socket, and the subset of the wire format it needs (the D-Bus
 * specification, "Message Protocol" and "Authentication Protocol").
 *
 * Why not libdbus or sd-bus: three read-only calls on a peer-to-peer
 * connection need a few hundred lines; a library would add a dependency
 * and its own idea of timeouts. Why the private socket and not the system
 * bus: a container booting systemd often has no dbus-daemon, and
 * systemctl itself talks to /run/systemd/private when run as root
 * (src/shared/bus-util.c: bus_connect_system_systemd()).
 *
 * The peer is a process inside a container: every length it sends is
 * checked against what was received, messages are capped, nesting is
 * capped, strings are reduced to printable ASCII (unit names, versions
 * and states are ASCII; anything else is not systemd talking), and the
 * whole exchange has one deadline. */
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include "manager.h"
#include "util.h"

#define DEST "org.freedesktop.systemd1"
#define OBJ "/org/freedesktop/systemd1"
#define IFACE_MANAGER "org.freedesktop.systemd1.Manager"
#define IFACE_PROPS "org.freedesktop.DBus.Properties"
#define LIST_UNITS_SIG "a(ssssssouso)"
/* Nesting allowed in a signature (the specification allows 32 arrays
 * and 32 structs). */
#define DEPTH_MAX 64
/* Messages not meant for us (the manager broadcasts signals to every
 * private connection) skipped before giving up. */
#define SKIP_MAX 4096

void sc_manager_state_done(struct sc_manager_state *s)
{
	free(s->version);
	free(s->system_state);
	sc_strv_free(s->failed_units);
	*s = (struct sc_manager_state){};
}

void sc_manager_state_copy(const struct sc_manager_state *s, struct sc_manager_state *ret)
{
	*ret = (struct sc_manager_state){
		.version = s->version ? sc_xstrdup(s->version) : NULL,
		.system_state = s->system_state ? sc_xstrdup(s->system_state) : NULL,
		.failed_units = s->failed_units ? sc_strv_copy(s->failed_units) : NULL,
	};
}

void sc_dbus_message_done(struct sc_dbus_message *m)
{
	free(m->signature);
	free(m->error_name);
	*m = (struct sc_dbus_message){};
}

/* ---- reading the wire format ------------------------------------------- */

struct reader {
	const uint8_t *b;
	size_t size, pos;
	bool be;
};

static int rd_align(struct reader *r, size_t n)
{
	size_t p = (r->pos + n - 1) & ~(n - 1);

	if (p > r->size)
		return -EBADMSG;
	for (size_t i = r->pos; i < p; i++)
		if (r->b[i] != 0) /* padding must be NUL */
			return -EBADMSG;
	r->pos = p;
	return 0;
}

static uint32_t get_u32(const uint8_t *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int rd_u8(struct reader *r, uint8_t *ret)
{
	if (r->pos >= r->size)
		return -EBADMSG;
	*ret = r->b[r->pos++];
	return 0;
}

static int rd_u32(struct reader *r, uint32_t *ret)
{
	int k = rd_align(r, 4);

	if (k < 0)
		return k;
	if (r->size - r->pos < 4)
		return -EBADMSG;
	*ret = get_u32(r->b + r->pos, r->be);
	r->pos += 4;
	return 0;
}

/* len bytes of text then a NUL, none inside. */
static int rd_text(struct reader *r, size_t len, const char **ret, size_t *ret_len)
{
	if (r->size - r->pos < len + 1 || r->b[r->pos + len] != 0 || memchr(r->b + r->pos, 0, len))
		return -EBADMSG;
	*ret = (const char *)r->b + r->pos;
	*ret_len = len;
	r->pos += len + 1;
	return 0;
}

static int rd_string(struct reader *r, const char **ret, size_t *ret_len)
{
	uint32_t len;
	int k = rd_u32(r, &len);

	return k < 0 ? k : rd_text(r, len, ret, ret_len);
}

static int rd_signature(struct reader *r, const char **ret, size_t *ret_len)
{
	uint8_t len;
	int k = rd_u8(r, &len);

	return k < 0 ? k : rd_text(r, len, ret, ret_len);
}

/* A copy reduced to printable ASCII. */
static char *printable_dup(const char *s, size_t len)
{
	char *d = sc_xstrndup(s, len);

	for (char *p = d; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	return d;
}

static size_t type_alignment(char c)
{
	switch (c) {
	case 'n':
	case 'q':
		return 2;
	case 'b':
	case 'i':
	case 'u':
	case 'h':
	case 's':
	case 'o':
	case 'a':
		return 4;
	case 'x':
	case 't':
	case 'd':
	case '(':
	case '{':
		return 8;
	default: /* y g v */
		return 1;
	}
}

/* Length of the single complete type at the start of sig, or -EBADMSG. */
static int sig_span(const char *sig, size_t len, unsigned depth, size_t *ret)
{
	size_t n, i;
	int k;

	if (len == 0 || depth > DEPTH_MAX)
		return -EBADMSG;
	switch (sig[0]) {
	case 'y':
	case 'b':
	case 'n':
	case 'q':
	case 'i':
	case 'u':
	case 'x':
	case 't':
	case 'd':
	case 'h':
	case 's':
	case 'o':
	case 'g':
	case 'v':
		*ret = 1;
		return 0;
	case 'a':
		k = sig_span(sig + 1, len - 1, depth + 1, &n);
		if (k < 0)
			return k;
		*ret = n + 1;
		return 0;
	case '(':
	case '{':
		for (i = 1; i < len && sig[i] != (sig[0] == '(' ? ')' : '}'); i += n) {
			k = sig_span(sig + i, len - i, depth + 1, &n);
			if (k < 0)
				return k;
		}
		if (i >= len || i == 1)
			return -EBADMSG;
		*ret = i + 1;
		return 0;
	default:
		return -EBADMSG;
	}
}

/* Skip one value of the complete type sig[0..len). */
static int skip_value(struct reader *r, const char *sig, size_t len, unsigned depth)
{
	const char *s;
	size_t sl, n;
	uint32_t u;
	uint8_t y;
	int k;

	if (depth > DEPTH_MAX)
		return -EBADMSG;
	switch (sig[0]) {
	case 'y':
		return rd_u8(r, &y);
	case 'n':
	case 'q':
	case 'x':
	case 't':
	case 'd': {
		size_t a = type_alignment(sig[0]);
		k = rd_align(r, a);
		if (k < 0)
			return k;
		if (r->size - r->pos < a)
			return -EBADMSG;
		r->pos += a;
		return 0;
	}
	case 'b':
	case 'i':
	case 'u':
	case 'h':
		return rd_u32(r, &u);
	case 's':
	case 'o':
		return rd_string(r, &s, &sl);
	case 'g':
		return rd_signature(r, &s, &sl);
	case 'v':
		k = rd_signature(r, &s, &sl);
		if (k < 0)
			return k;
		k = sig_span(s, sl, depth + 1, &n);
		if (k < 0 || n != sl)
			return -EBADMSG;
		return skip_value(r, s, sl, depth + 1);
	case 'a': {
		size_t end;
		k = rd_u32(r, &u);
		if (k < 0)
			return k;
		k = rd_align(r, type_alignment(sig[1]));
		if (k < 0)
			return k;
		if (u > r->size - r->pos)
			return -EBADMSG;
		end = r->pos + u;
		while (r->pos < end) {
			k = skip_value(r, sig + 1, len - 1, depth + 1);
			if (k < 0)
				return k;
		}
		return r->pos == end ? 0 : -EBADMSG;
	}
	case '(':
	case '{':
		k = rd_align(r, 8);
		if (k < 0)
			return k;
		for (size_t i = 1; i < len - 1; i += n) {
			k = sig_span(sig + i, len - 1 - i, depth + 1, &n);
			if (k < 0)
				return k;
			k = skip_value(r, sig + i, n, depth + 1);
			if (k < 0)
				return k;
		}
		return 0;
	default:
		return -EBADMSG;
	}
}

int sc_dbus_message_size(const uint8_t head[16], size_t *ret_size)
{
	bool be;
	uint32_t body, fields;
	uint64_t total;

	if (head[0] != 'l' && head[0] != 'B')
		return -EBADMSG;
	if (head[3] != 1) /* protocol version */
		return -EBADMSG;
	be = head[0] == 'B';
	body = get_u32(head + 4, be);
	fields = get_u32(head + 12, be);
	total = ((16 + (uint64_t)fields + 7) & ~(uint64_t)7) + body;
	if (total > SC_DBUS_MESSAGE_MAX)
		return -EFBIG;
	*ret_size = (size_t)total;
	return 0;
}

int sc_dbus_message_parse(const uint8_t *buf, size_t size, struct sc_dbus_message *ret)
{
	struct sc_dbus_message m = {};
	struct reader r = { .b = buf, .size = size };
	size_t want, end;
	uint32_t body_len, fields_len;
	int k;

	if (size < 16)
		return -EBADMSG;
	k = sc_dbus_message_size(buf, &want);
	if (k < 0)
		return k;
	if (want != size)
		return -EBADMSG;
	r.be = buf[0] == 'B';
	m.big_endian = r.be;
	m.type = buf[1];
	if (m.type < SC_DBUS_METHOD_CALL || m.type > SC_DBUS_SIGNAL)
		return -EBADMSG;
	body_len = get_u32(buf + 4, r.be);
	m.serial = get_u32(buf + 8, r.be);
	if (m.serial == 0)
		return -EBADMSG;
	r.pos = 12;
	k = rd_u32(&r, &fields_len);
	if (k < 0)
		return k;
	end = 16 + (size_t)fields_len;
	if (end > size)
		return -EBADMSG;
	/* a(yv), read one field at a time. */
	while (r.pos < end) {
		const char *sig, *s;
		size_t sl, n;
		uint8_t code;
		uint32_t u;

		k = rd_align(&r, 8);
		if (k < 0)
			goto fail;
		k = rd_u8(&r, &code);
		if (k < 0)
			goto fail;
		k = rd_signature(&r, &sig, &sl);
		if (k < 0)
			goto fail;
		k = sig_span(sig, sl, 0, &n);
		if (k < 0 || n != sl) {
			k = -EBADMSG;
			goto fail;
		}
		if (code == 5 && streq(sig, "u")) { /* REPLY_SERIAL */
			k = rd_u32(&r, &u);
			m.reply_serial = u;
		} else if (code == 8 && streq(sig, "g")) { /* SIGNATURE */
			k = rd_signature(&r, &s, &sl);
			if (k >= 0) {
				free(m.signature);
				m.signature = sc_xstrndup(s, sl);
			}
		} else if (code == 4 && streq(sig, "s")) { /* ERROR_NAME */
			k = rd_string(&r, &s, &sl);
			if (k >= 0) {
				free(m.error_name);
				m.error_name = printable_dup(s, sl);
			}
		} else
			k = skip_value(&r, sig, sl, 0);
		if (k < 0)
			goto fail;
	}
	if (r.pos != end) {
		k = -EBADMSG;
		goto fail;
	}
	k = rd_align(&r, 8);
	if (k < 0)
		goto fail;
	if (size - r.pos != body_len) {
		k = -EBADMSG;
		goto fail;
	}
	if (!m.signature)
		m.signature = sc_xstrdup("");
	if (body_len > 0 && !*m.signature) {
		k = -EBADMSG;
		goto fail;
	}
	m.body = buf + r.pos;
	m.body_size = body_len;
	*ret = m;
	return 0;
fail:
	sc_dbus_message_done(&m);
	return k;
}

int sc_dbus_body_variant_string(const struct sc_dbus_message *m, char **ret)
{
	struct reader r = { .b = m->body, .size = m->body_size, .be = m->big_endian };
	const char *s;
	size_t sl;
	int k;

	if (!m->signature || !streq(m->signature, "v"))
		return -EBADMSG;
	k = rd_signature(&r, &s, &sl);
	if (k < 0)
		return k;
	if (sl != 1 || s[0] != 's')
		return -EBADMSG;
	k = rd_string(&r, &s, &sl);
	if (k < 0)
		return k;
	if (r.pos != r.size)
		return -EBADMSG;
	*ret = printable_dup(s, sl);
	return 0;
}

int sc_dbus_body_unit_names(const struct sc_dbus_message *m, const char *active_state, char ***ret)
{
	struct reader r = { .b = m->body, .size = m->body_size, .be = m->big_endian };
	_cleanup_strv_builder_ struct sc_strv_builder b = {};
	char **names;
	uint32_t len;
	size_t end;
	int k;

	if (!m->signature || !streq(m->signature, LIST_UNITS_SIG))
		return -EBADMSG;
	k = rd_u32(&r, &len);
	if (k < 0)
		return k;
	k = rd_align(&r, 8);
	if (k < 0)
		return k;
	if (len > r.size - r.pos)
		return -EBADMSG;
	end = r.pos + len;
	while (r.pos < end) {
		/* (name, description, load, active, sub, following, unit path,
		 *  job id, job type, job path) */
		const char *f[6], *s;
		size_t fl[6], sl;
		uint32_t u;

		k = rd_align(&r, 8);
		for (size_t i = 0; k >= 0 && i < 6; i++)
			k = rd_string(&r, &f[i], &fl[i]);
		if (k >= 0)
			k = rd_string(&r, &s, &sl);
		if (k >= 0)
			k = rd_u32(&r, &u);
		if (k >= 0)
			k = rd_string(&r, &s, &sl);
		if (k >= 0)
			k = rd_string(&r, &s, &sl);
		if (k < 0)
			return k;
		if (!active_state ||
		    (fl[3] == strlen(active_state) && memcmp(f[3], active_state, fl[3]) == 0))
			sc_strv_builder_consume(&b, printable_dup(f[0], fl[0]));
	}
	if (r.pos != end || end != r.size)
		return -EBADMSG;
	names = sc_strv_builder_take(&b);
	sc_strv_sort(names);
	*ret = names;
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

struct writer {
	uint8_t *b;
	size_t size, cap;
};

static void wr_bytes(struct writer *w, const void *p, size_t n)
{
	if (w->size + n > w->cap) {
		w->cap = (w->size + n) * 2 + 64;
		w->b = sc_xrealloc(w->b, w->cap);
	}
	memcpy(w->b + w->size, p, n);
	w->size += n;
}

static void wr_pad(struct writer *w, size_t n)
{
	static const uint8_t zeros[8];
	size_t p = (w->size + n - 1) & ~(n - 1);

	wr_bytes(w, zeros, p - w->size);
}

static void put_u32_at(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void wr_u32(struct writer *w, uint32_t v)
{
	uint8_t b[4];

	wr_pad(w, 4);
	put_u32_at(b, v);
	wr_bytes(w, b, 4);
}

static void wr_string(struct writer *w, const char *s)
{
	wr_u32(w, (uint32_t)strlen(s));
	wr_bytes(w, s, strlen(s) + 1);
}

static void wr_signature(struct writer *w, const char *s)
{
	uint8_t l = (uint8_t)strlen(s);

	wr_bytes(w, &l, 1);
	wr_bytes(w, s, strlen(s) + 1);
}

static void wr_field(struct writer *w, uint8_t code, const char *type, const char *value)
{
	wr_pad(w, 8);
	wr_bytes(w, &code, 1);
	wr_signature(w, type);
	if (streq(type, "g"))
		wr_signature(w, value);
	else
		wr_string(w, value);
}

size_t sc_dbus_call_build(uint32_t serial, const char *interface, const char *member,
			  const char *body_sig, const char *const *args, uint8_t **ret)
{
	static const uint8_t head[4] = { 'l', SC_DBUS_METHOD_CALL, 0, 1 };
	struct writer w = {};
	size_t fields_at, body_at;

	wr_bytes(&w, head, 4);
	wr_u32(&w, 0); /* body length, below */
	wr_u32(&w, serial);
	wr_u32(&w, 0); /* header fields length, below */
	fields_at = w.size;
	wr_field(&w, 1, "o", OBJ);	 /* PATH */
	wr_field(&w, 2, "s", interface); /* INTERFACE */
	wr_field(&w, 3, "s", member);	 /* MEMBER */
	wr_field(&w, 6, "s", DEST);	 /* DESTINATION */
	if (*body_sig)
		wr_field(&w, 8, "g", body_sig); /* SIGNATURE */
	put_u32_at(w.b + 12, (uint32_t)(w.size - fields_at));
	wr_pad(&w, 8);
	body_at = w.size;
	if (streq(body_sig, "ss")) {
		wr_string(&w, args[0]);
		wr_string(&w, args[1]);
	} else if (streq(body_sig, "as")) {
		size_t len_at;

		wr_u32(&w, 0);
		len_at = w.size;
		for (const char *const *a = args; *a; a++)
			wr_string(&w, *a);
		put_u32_at(w.b + len_at - 4, (uint32_t)(w.size - len_at));
	}
	put_u32_at(w.b + 4, (uint32_t)(w.size - body_at));
	*ret = w.b;
	return w.size;
}

/* ---- the connection ------------------------------------------------------ */

struct conn {
	int fd;
	uint64_t deadline; /* CLOCK_MONOTONIC, ms */
	uint8_t *buf;
	size_t len, cap;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int wait_fd(struct conn *c, short events)
{
	for (;;) {
		uint64_t now = now_ms();
		struct pollfd p = { c->fd, events, 0 };
		int n;

		if (now >= c->deadline)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)(c->deadline - now));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		return 0;
	}
}

static int send_all(struct conn *c, const void *data, size_t n)
{
	const uint8_t *p = data;

	while (n > 0) {
		ssize_t w;
		int k = wait_fd(c, POLLOUT);

		if (k < 0)
			return k;
		w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Until c->len >= need. */
static int fill(struct conn *c, size_t need)
{
	while (c->len < need) {
		ssize_t n;
		int k;

		if (need > c->cap) {
			c->cap = need;
			c->buf = sc_xrealloc(c->buf, c->cap);
		}
		k = wait_fd(c, POLLIN);
		if (k < 0)
			return k;
		n = recv(c->fd, c->buf + c->len, c->cap - c->len, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		c->len += (size_t)n;
	}
	return 0;
}

static void consume(struct conn *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* One line of the authentication dialogue, without its "\r\n". Bytes
 * received past it stay buffered: after "OK" come messages. */
static int read_line(struct conn *c, char **ret)
{
	for (size_t n = 1;; n++) {
		int k;

		if (n > 512)
			return -EPROTO;
		k = fill(c, n);
		if (k < 0)
			return k;
		if (n >= 2 && c->buf[n - 2] == '\r' && c->buf[n - 1] == '\n') {
			*ret = printable_dup((const char *)c->buf, n - 2);
			consume(c, n);
			return 0;
		}
	}
}

/* SASL EXTERNAL: the peer's credentials are the socket's (SO_PEERCRED).
 * First without an identity, as systemctl does (the server takes the
 * uid from the socket, which also works across a user namespace); a
 * server too old for that says REJECTED, then the uid is named. */
static int authenticate(struct conn *c)
{
	_cleanup_free_ char *line = NULL, *cmd = NULL, *hex = NULL;
	char uid[16];
	int k;

	k = send_all(c, "\0AUTH EXTERNAL\r\n", 16);
	if (k < 0)
		return k;
	k = read_line(c, &line);
	if (k < 0)
		return k;
	if (streq(line, "DATA")) {
		free(line);
		line = NULL;
		k = send_all(c, "DATA\r\n", 6);
		if (k < 0)
			return k;
		k = read_line(c, &line);
		if (k < 0)
			return k;
	}
	if (startswith(line, "REJECTED") || startswith(line, "ERROR")) {
		snprintf(uid, sizeof(uid), "%u", (unsigned)geteuid());
		hex = sc_xcalloc(strlen(uid) * 2 + 1, 1);
		for (size_t i = 0; uid[i]; i++)
			snprintf(hex + 2 * i, 3, "%02x", (unsigned char)uid[i]);
		cmd = sc_xasprintf("AUTH EXTERNAL %s\r\n", hex);
		k = send_all(c, cmd, strlen(cmd));
		if (k < 0)
			return k;
		free(line);
		line = NULL;
		k = read_line(c, &line);
		if (k < 0)
			return k;
	}
	if (startswith(line, "OK "))
		return send_all(c, "BEGIN\r\n", 7);
	if (startswith(line, "REJECTED"))
		return -EACCES;
	return -EPROTO;
}

static int send_call(struct conn *c, uint32_t serial, const char *interface, const char *member,
		     const char *sig, const char *const *args)
{
	_cleanup_free_ uint8_t *msg = NULL;
	size_t n = sc_dbus_call_build(serial, interface, member, sig, args, &msg);

	return send_all(c, msg, n);
}

/* The next message addressed to us as a reply (signals skipped). */
static int read_reply(struct conn *c, struct sc_dbus_message *ret, uint8_t **ret_buf)
{
	for (unsigned skipped = 0; skipped < SKIP_MAX; skipped++) {
		struct sc_dbus_message m;
		uint8_t *b;
		size_t size;
		int k;

		k = fill(c, 16);
		if (k < 0)
			return k;
		k = sc_dbus_message_size(c->buf, &size);
		if (k < 0)
			return k;
		if (size < 16)
			return -EBADMSG;
		k = fill(c, size);
		if (k < 0)
			return k;
		b = sc_xmalloc(size);
		memcpy(b, c->buf, size);
		consume(c, size);
		k = sc_dbus_message_parse(b, size, &m);
		if (k < 0) {
			free(b);
			return k;
		}
		if ((m.type == SC_DBUS_METHOD_RETURN || m.type == SC_DBUS_ERROR) &&
		    m.reply_serial != 0) {
			*ret = m;
			*ret_buf = b;
			return 0;
		}
		sc_dbus_message_done(&m);
		free(b);
	}
	return -EPROTO;
}

int sc_manager_query(int fd, unsigned timeout_ms, struct sc_manager_state *ret)
{
	static const char *const get_version[] = { IFACE_MANAGER, "Version", NULL };
	static const char *const get_state[] = { IFACE_MANAGER, "SystemState", NULL };
	static const char *const failed[] = { "failed", NULL };
	struct conn c = { .fd = fd, .deadline = now_ms() + timeout_ms };
	struct sc_manager_state s = {};
	bool have[5] = {};
	int k;

	k = authenticate(&c);
	/* Closed before a word: systemd drops a peer whose credentials it
	 * cannot map (src/core/dbus.c, bus_check_peercred(): another user
	 * or PID namespace). EPIPE or ECONNRESET, depending on timing. */
	if (k == -EPIPE)
		k = -ECONNRESET;
	if (k >= 0)
		k = send_call(&c, 1, IFACE_PROPS, "Get", "ss", get_version);
	if (k >= 0)
		k = send_call(&c, 2, IFACE_PROPS, "Get", "ss", get_state);
	if (k >= 0)
		k = send_call(&c, 3, IFACE_MANAGER, "ListUnitsFiltered", "as", failed);
	while (k >= 0 && !(have[1] && have[2] && s.failed_units)) {
		struct sc_dbus_message m = {};
		_cleanup_free_ uint8_t *b = NULL;

		k = read_reply(&c, &m, &b);
		if (k < 0)
			break;
		if (m.reply_serial < 1 || m.reply_serial > 4 || have[m.reply_serial]) {
			sc_dbus_message_done(&m);
			continue;
		}
		have[m.reply_serial] = true;
		if (m.type == SC_DBUS_ERROR) {
			/* ListUnitsFiltered() came in systemd 230; before it,
			 * every unit, filtered here. */
			if (m.reply_serial == 3 && streq_ptr(m.error_name, "org.freedesktop.DBus."
									   "Error.UnknownMethod"))
				k = send_call(&c, 4, IFACE_MANAGER, "ListUnits", "", NULL);
			else
				k = -EREMOTEIO;
		} else if (m.reply_serial == 1)
			k = sc_dbus_body_variant_string(&m, &s.version);
		else if (m.reply_serial == 2)
			k = sc_dbus_body_variant_string(&m, &s.system_state);
		else if (!s.failed_units) /* a peer may answer 4 unasked */
			k = sc_dbus_body_unit_names(&m, m.reply_serial == 4 ? "failed" : NULL,
						    &s.failed_units);
		sc_dbus_message_done(&m);
	}
	free(c.buf);
	if (k < 0) {
		sc_manager_state_done(&s);
		return k;
	}
	*ret = s;
	return 0;
}
