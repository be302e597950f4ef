/* SPDX-License-Identifier: MIT */
/* The manager client (manager.c): replays of what real systemd 252 and
 * 257 sent (tests/fixtures/dbus/, captured with strace from the private
 * socket of booted containers), what the client sends, and a hostile peer:
 * every truncation and byte flip of the real streams, refusals, silence,
 * huge lengths, deep nesting, signals in between, big-endian peers and the
 * ListUnits fallback of systemd < 230. Live systemd is tested by the e2e
 * matrix (truth.sh compares with systemctl). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "manager.h"
#include "testlib.h"
#include "util.h"

/* ---- a peer made of bytes ------------------------------------------------ */

struct peer {
	int client, server;
};

static void peer_open(struct peer *p)
{
	int sv[2];

	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	p->client = sv[0];
	p->server = sv[1];
}

static void peer_close(struct peer *p)
{
	close(p->client);
	close(p->server);
}

static void peer_send(struct peer *p, const void *data, size_t n)
{
	cr_assert_eq(write(p->server, data, n), (ssize_t)n);
}

/* Everything the peer will say, then (eof) the end of the stream. */
static int query_with(const void *stream, size_t n, bool eof, unsigned timeout_ms,
		      struct sc_manager_state *ret)
{
	struct peer p;
	int k;

	peer_open(&p);
	if (n)
		peer_send(&p, stream, n);
	if (eof)
		shutdown(p.server, SHUT_WR);
	k = sc_manager_query(p.client, timeout_ms, ret);
	peer_close(&p);
	return k;
}

static char *fixture(const char *name, size_t *ret_size)
{
	_cleanup_free_ char *path = sc_xasprintf("%s/tests/fixtures/dbus/%s", SC_SRCDIR, name);
	char *data = read_whole_file(path, ret_size);

	cr_assert_not_null(data, "%s", path);
	return data;
}

/* Where the messages start: after "DATA\r\nOK <guid>\r\n". */
static size_t auth_length(const char *s, size_t n)
{
	const char *ok = memmem(s, n, "OK ", 3);
	const char *end = ok ? memmem(ok, n - (size_t)(ok - s), "\r\n", 2) : NULL;

	cr_assert_not_null(end);
	return (size_t)(end + 2 - s);
}

/* ---- a message builder (both byte orders), for crafted peers ------------- */

struct mb {
	uint8_t b[65536];
	size_t n;
	bool be;
};

static void mb_pad(struct mb *m, size_t a)
{
	while (m->n % a)
		m->b[m->n++] = 0;
}

static void mb_u32(struct mb *m, uint32_t v)
{
	mb_pad(m, 4);
	for (int i = 0; i < 4; i++)
		m->b[m->n++] = (uint8_t)(m->be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void mb_str(struct mb *m, const char *s)
{
	mb_u32(m, (uint32_t)strlen(s));
	memcpy(m->b + m->n, s, strlen(s) + 1);
	m->n += strlen(s) + 1;
}

static void mb_sig(struct mb *m, const char *s)
{
	m->b[m->n++] = (uint8_t)strlen(s);
	memcpy(m->b + m->n, s, strlen(s) + 1);
	m->n += strlen(s) + 1;
}

static void mb_set_u32(struct mb *m, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		m->b[at + (size_t)i] = (uint8_t)(m->be ? v >> (24 - 8 * i) : v >> (8 * i));
}

/* A message: header fields REPLY_SERIAL (if reply), ERROR_NAME (if
 * error), SIGNATURE (if sig), PATH/MEMBER for a signal; body from body. */
static void mb_message(struct mb *m, bool be, uint8_t type, uint32_t serial, uint32_t reply,
		       const char *error, const char *sig, const struct mb *body)
{
	size_t fields_at;

	*m = (struct mb){ .be = be };
	m->b[m->n++] = be ? 'B' : 'l';
	m->b[m->n++] = type;
	m->b[m->n++] = 0;
	m->b[m->n++] = 1;
	mb_u32(m, body ? (uint32_t)body->n : 0);
	mb_u32(m, serial);
	mb_u32(m, 0);
	fields_at = m->n;
	if (type == SC_DBUS_SIGNAL) {
		mb_pad(m, 8);
		m->b[m->n++] = 1;
		mb_sig(m, "o");
		mb_str(m, "/org/freedesktop/systemd1");
		mb_pad(m, 8);
		m->b[m->n++] = 3;
		mb_sig(m, "s");
		mb_str(m, "JobRemoved");
	}
	if (reply) {
		mb_pad(m, 8);
		m->b[m->n++] = 5;
		mb_sig(m, "u");
		mb_u32(m, reply);
	}
	if (error) {
		mb_pad(m, 8);
		m->b[m->n++] = 4;
		mb_sig(m, "s");
		mb_str(m, error);
	}
	if (sig) {
		mb_pad(m, 8);
		m->b[m->n++] = 8;
		mb_sig(m, "g");
		mb_sig(m, sig);
	}
	mb_set_u32(m, 12, (uint32_t)(m->n - fields_at));
	mb_pad(m, 8);
	if (body) {
		memcpy(m->b + m->n, body->b, body->n);
		m->n += body->n;
	}
}

static void mb_append(struct mb *stream, const struct mb *m)
{
	cr_assert_lt(stream->n + m->n, sizeof(stream->b));
	memcpy(stream->b + stream->n, m->b, m->n);
	stream->n += m->n;
}

static void mb_text(struct mb *stream, const char *s)
{
	memcpy(stream->b + stream->n, s, strlen(s));
	stream->n += strlen(s);
}

/* A Properties.Get reply: a variant holding a string. */
static void reply_string(struct mb *stream, bool be, uint32_t reply, const char *value)
{
	struct mb body = { .be = be }, m;

	mb_sig(&body, "s");
	mb_str(&body, value);
	mb_message(&m, be, SC_DBUS_METHOD_RETURN, 100 + reply, reply, NULL, "v", &body);
	mb_append(stream, &m);
}

/* A ListUnits reply: units as "name:active_state" pairs. */
static void reply_units(struct mb *stream, bool be, uint32_t reply, const char *const *units)
{
	struct mb body = { .be = be }, m;
	size_t len_at;

	mb_u32(&body, 0); /* the array's byte length, below */
	mb_pad(&body, 8);
	len_at = body.n;
	for (const char *const *u = units; *u; u++) {
		_cleanup_free_ char *name = sc_xstrndup(*u, strcspn(*u, ":"));
		const char *active = strchr(*u, ':') + 1;

		mb_pad(&body, 8);
		mb_str(&body, name);
		mb_str(&body, "a unit");
		mb_str(&body, "loaded");
		mb_str(&body, active);
		mb_str(&body, active);
		mb_str(&body, "");
		mb_str(&body, "/org/freedesktop/systemd1/unit/x");
		mb_u32(&body, 0);
		mb_str(&body, "");
		mb_str(&body, "/");
	}
	mb_set_u32(&body, 0, (uint32_t)(body.n - len_at));
	mb_message(&m, be, SC_DBUS_METHOD_RETURN, 100 + reply, reply, NULL, "a(ssssssouso)", &body);
	mb_append(stream, &m);
}

/* ---- real systemd ---------------------------------------------------------- */

TestSuite(manager, .timeout = 60);

Test(manager, real_systemd)
{
	static const struct {
		const char *file, *version, *state, *failed;
	} cases[] = {
		{ "systemd-252-running.bin", "252.39-1~deb12u2", "running", "" },
		{ "systemd-257-degraded.bin", "257.13-1~deb13u1", "degraded", "tmp.mount" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct sc_manager_state s = {};
		size_t n;
		_cleanup_free_ char *data = fixture(cases[i].file, &n), *failed = NULL;

		cr_assert_eq(query_with(data, n, false, 2000, &s), 0, "%s", cases[i].file);
		cr_assert_str_eq(s.version, cases[i].version);
		cr_assert_str_eq(s.system_state, cases[i].state);
		cr_assert_not_null(s.failed_units);
		failed = sc_strv_join(s.failed_units, " ");
		cr_assert_str_eq(failed, cases[i].failed);
		sc_manager_state_done(&s);
	}
}

/* What the client says: the SASL lines, then three calls systemd's own
 * parser accepted (the fixtures are its answers to exactly these). */
Test(manager, what_the_client_sends)
{
	static const char *const want_member[] = { "Get", "Get", "ListUnitsFiltered" };
	static const char *const want_sig[] = { "ss", "ss", "as" };
	struct sc_manager_state s = {};
	struct peer p;
	size_t n, off;
	uint8_t buf[4096];
	ssize_t got;
	_cleanup_free_ char *data = fixture("systemd-257-degraded.bin", &n);

	peer_open(&p);
	peer_send(&p, data, n);
	cr_assert_eq(sc_manager_query(p.client, 2000, &s), 0);
	sc_manager_state_done(&s);
	got = read(p.server, buf, sizeof(buf));
	peer_close(&p);
	cr_assert_gt(got, 0);
	off = sizeof("\0AUTH EXTERNAL\r\nDATA\r\nBEGIN\r\n") - 1;
	cr_assert_eq(memcmp(buf, "\0AUTH EXTERNAL\r\nDATA\r\nBEGIN\r\n", off), 0);
	for (int i = 0; i < 3; i++) {
		struct sc_dbus_message m;
		size_t size;

		cr_assert_eq(sc_dbus_message_size(buf + off, &size), 0);
		cr_assert_leq(off + size, (size_t)got);
		cr_assert_eq(sc_dbus_message_parse(buf + off, size, &m), 0, "call %d", i + 1);
		cr_assert_eq(m.type, SC_DBUS_METHOD_CALL);
		cr_assert_eq(m.serial, (uint32_t)i + 1);
		cr_assert_str_eq(m.signature, want_sig[i]);
		cr_assert_not_null(memmem(buf + off, size, want_member[i], strlen(want_member[i])));
		sc_dbus_message_done(&m);
		off += size;
	}
	cr_assert_eq(off, (size_t)got, "nothing else sent");
}

/* ---- a hostile or broken peer ----------------------------------------------- */

/* Every prefix of a real stream, then the end: an error, never a crash,
 * a hang or a partial answer. */
Test(manager, every_truncation_is_an_error)
{
	const char *const names[] = { "systemd-252-running.bin", "systemd-257-degraded.bin" };

	for (size_t f = 0; f < ELEMENTSOF(names); f++) {
		size_t n;
		_cleanup_free_ char *data = fixture(names[f], &n);

		for (size_t cut = 0; cut < n; cut++) {
			struct sc_manager_state s = {};
			int k = query_with(data, cut, true, 2000, &s);

			cr_assert(k == -ECONNRESET || k == -EBADMSG || k == -EPROTO,
				  "%s cut at %zu: %d", names[f], cut, k);
			cr_assert_null(s.version);
		}
	}
}

/* Every single byte of the messages changed: an answer or an error, and
 * whatever comes back is printable. (Under ASan, no read out of bounds.) */
Test(manager, every_byte_flipped)
{
	size_t n;
	_cleanup_free_ char *data = fixture("systemd-257-degraded.bin", &n);
	size_t start = auth_length(data, n);
	unsigned ok = 0, failed = 0;

	for (size_t i = start; i < n; i++) {
		for (unsigned x = 0; x < 2; x++) {
			_cleanup_free_ char *copy = sc_xmalloc(n);
			struct sc_manager_state s = {};
			int k;

			memcpy(copy, data, n);
			copy[i] = (char)(x ? ~copy[i] : copy[i] ^ 0x01);
			k = query_with(copy, n, true, 2000, &s);
			if (k < 0) {
				failed++;
				continue;
			}
			ok++;
			for (char **u = s.failed_units; *u; u++)
				for (char *c = *u; *c; c++)
					cr_assert(*c >= 0x20 && *c < 0x7f);
			for (char *c = s.system_state; *c; c++)
				cr_assert(*c >= 0x20 && *c < 0x7f);
			sc_manager_state_done(&s);
		}
	}
	/* Flips inside strings still parse; flips of lengths do not. */
	cr_assert_gt(ok, 0);
	cr_assert_gt(failed, 0);
}

Test(manager, refused)
{
	struct sc_manager_state s = {};
	const char *r = "REJECTED EXTERNAL\r\nREJECTED EXTERNAL\r\n";

	cr_assert_eq(query_with(r, strlen(r), false, 2000, &s), -EACCES);
	/* Dropped at once, as systemd drops a peer it cannot identify. */
	{
		struct peer p;
		peer_open(&p);
		close(p.server);
		cr_assert_eq(sc_manager_query(p.client, 2000, &s), -ECONNRESET);
		close(p.client);
	}
	/* A server too old for AUTH without an identity, fine with one. */
	{
		struct mb stream = {};
		mb_text(&stream, "REJECTED EXTERNAL\r\nOK 0123456789abcdef0123456789abcdef\r\n");
		reply_string(&stream, false, 1, "219");
		reply_string(&stream, false, 2, "running");
		reply_units(&stream, false, 3, (const char *const[]){ NULL });
		cr_assert_eq(query_with(stream.b, stream.n, false, 2000, &s), 0);
		cr_assert_str_eq(s.version, "219");
		sc_manager_state_done(&s);
	}
}

Test(manager, not_dbus)
{
	struct sc_manager_state s = {};
	_cleanup_free_ char *junk = sc_xmalloc(2000);

	cr_assert_eq(query_with("HTTP/1.1 400\r\n", 14, false, 2000, &s), -EPROTO);
	/* A line that never ends. */
	memset(junk, 'A', 2000);
	cr_assert_eq(query_with(junk, 2000, false, 2000, &s), -EPROTO);
}

/* A peer that accepts and says nothing: the deadline, not a hang. */
Test(manager, silent_peer_times_out)
{
	struct sc_manager_state s = {};

	cr_assert_eq(query_with(NULL, 0, false, 200, &s), -ETIMEDOUT);
	/* Authenticated, then silence. */
	cr_assert_eq(query_with("DATA\r\nOK 0123\r\n", 15, false, 200, &s), -ETIMEDOUT);
}

Test(manager, huge_message_refused_unread)
{
	struct sc_manager_state s = {};
	struct mb stream = {}, m;

	mb_text(&stream, "OK 0123456789abcdef\r\n");
	reply_string(&stream, false, 1, "252");
	mb_message(&m, false, SC_DBUS_METHOD_RETURN, 7, 2, NULL, "v", NULL);
	mb_set_u32(&m, 4, 0xfffffff0u); /* body length */
	mb_append(&stream, &m);
	cr_assert_eq(query_with(stream.b, stream.n, false, 2000, &s), -EFBIG);
}

/* A header field whose variant nests arrays beyond any sense. */
Test(manager, deep_nesting_refused)
{
	uint8_t msg[512] = { 'l', SC_DBUS_METHOD_RETURN, 0, 1 };
	struct sc_dbus_message m;
	char sig[200];
	size_t n = 16;

	memset(sig, 'a', 150);
	sig[150] = 'y';
	sig[151] = 0;
	msg[8] = 1;		   /* serial */
	msg[n++] = 9;		   /* field code (unknown: skipped) */
	msg[n++] = 151;		   /* its signature length */
	memcpy(msg + n, sig, 152); /* "aaa...ay" */
	n += 152;
	n = (n + 3) & ~(size_t)3;
	n += 4; /* an empty array */
	msg[12] = (uint8_t)(n - 16);
	n = (n + 7) & ~(size_t)7;
	cr_assert_eq(sc_dbus_message_parse(msg, n, &m), -EBADMSG);
}

/* Signals (the manager sends them to every private connection) and
 * replies to calls never made are skipped. */
Test(manager, signals_in_between)
{
	struct sc_manager_state s = {};
	struct mb stream = {}, m;

	mb_text(&stream, "DATA\r\nOK 0123456789abcdef\r\n");
	mb_message(&m, false, SC_DBUS_SIGNAL, 50, 0, NULL, NULL, NULL);
	mb_append(&stream, &m);
	reply_string(&stream, false, 2, "starting");
	mb_append(&stream, &m);
	reply_string(&stream, false, 9, "a reply to nothing");
	reply_string(&stream, false, 1, "257.13");
	reply_units(&stream, false, 3,
		    (const char *const[]){ "b.service:failed", "a.service:failed", NULL });
	cr_assert_eq(query_with(stream.b, stream.n, false, 2000, &s), 0);
	cr_assert_str_eq(s.version, "257.13");
	cr_assert_str_eq(s.system_state, "starting");
	cr_assert_eq(sc_strv_length(s.failed_units), 2);
	cr_assert_str_eq(s.failed_units[0], "a.service", "sorted");
	sc_manager_state_done(&s);
}

Test(manager, big_endian_peer)
{
	struct sc_manager_state s = {};
	struct mb stream = {};

	mb_text(&stream, "OK 0123456789abcdef\r\n");
	reply_string(&stream, true, 1, "252");
	reply_string(&stream, true, 2, "degraded");
	reply_units(&stream, true, 3, (const char *const[]){ "x.service:failed", NULL });
	cr_assert_eq(query_with(stream.b, stream.n, false, 2000, &s), 0);
	cr_assert_str_eq(s.system_state, "degraded");
	cr_assert_str_eq(s.failed_units[0], "x.service");
	sc_manager_state_done(&s);
}

/* systemd < 230 has no ListUnitsFiltered: every unit, filtered here. */
Test(manager, list_units_fallback)
{
	struct sc_manager_state s = {};
	struct mb stream = {}, m;

	mb_text(&stream, "OK 0123456789abcdef\r\n");
	reply_string(&stream, false, 1, "219");
	reply_string(&stream, false, 2, "degraded");
	mb_message(&m, false, SC_DBUS_ERROR, 60, 3, "org.freedesktop.DBus.Error.UnknownMethod",
		   NULL, NULL);
	mb_append(&stream, &m);
	reply_units(&stream, false, 4,
		    (const char *const[]){ "ok.service:active", "bad.service:failed",
					   "gone.mount:inactive", NULL });
	cr_assert_eq(query_with(stream.b, stream.n, false, 2000, &s), 0);
	cr_assert_eq(sc_strv_length(s.failed_units), 1);
	cr_assert_str_eq(s.failed_units[0], "bad.service");
	sc_manager_state_done(&s);

	/* Any other error: the manager answered, but not with the state. */
	stream.n = 0;
	mb_text(&stream, "OK 0123456789abcdef\r\n");
	mb_message(&m, false, SC_DBUS_ERROR, 61, 1, "org.freedesktop.DBus.Error.AccessDenied", NULL,
		   NULL);
	mb_append(&stream, &m);
	cr_assert_eq(query_with(stream.b, stream.n, false, 2000, &s), -EREMOTEIO);
}

/* Control characters and non-ASCII from the peer never reach a terminal
 * or a JSON string as such. */
Test(manager, strings_made_printable)
{
	struct sc_manager_state s = {};
	struct mb stream = {};

	mb_text(&stream, "OK 0123456789abcdef\r\n");
	reply_string(&stream, false, 1, "252\033[2J\xff");
	reply_string(&stream, false, 2, "running");
	reply_units(&stream, false, 3,
		    (const char *const[]){ "evil\n\033]0;x\a.service:failed", NULL });
	cr_assert_eq(query_with(stream.b, stream.n, false, 2000, &s), 0);
	cr_assert_str_eq(s.version, "252?[2J?");
	cr_assert_str_eq(s.failed_units[0], "evil??]0;x?.service");
	sc_manager_state_done(&s);
}

/* A method call as built here parses back, both body shapes. */
Test(manager, call_roundtrip)
{
	const char *const args[] = { "failed", "maintenance", NULL };
	struct sc_dbus_message m;
	uint8_t *b;
	size_t n = sc_dbus_call_build(42, "org.freedesktop.systemd1.Manager", "ListUnitsFiltered",
				      "as", args, &b);

	cr_assert_eq(n % 8, 0);
	cr_assert_eq(sc_dbus_message_parse(b, n, &m), 0);
	cr_assert_eq(m.serial, 42u);
	cr_assert_str_eq(m.signature, "as");
	/* as: byte length 4 + 7 (+1 pad) + 4 + 12 = 27+1, two strings. */
	cr_assert_eq(m.body_size, 4 + 4 + 7 + 1 + 4 + 12);
	sc_dbus_message_done(&m);
	free(b);
}
