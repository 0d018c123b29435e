#include "core/error.h"
#include "core/wire.h"

#include "tests/unit/check_main.h"

#include <stdlib.h>
#include <string.h>

static struct netra_wire_msg m;
static struct netra_wire_out o;

static int parse(const struct netra_wire_out *out, char *err, size_t errsz)
{
	return netra_wire_parse(out->frames, out->n, 1024, &m, err, errsz);
}

START_TEST(data_round_trip)
{
	char err[256];
	const char *post = "{\"id\":\"jsonl:x:1\",\"source\":\"jsonl\",\"text\":\"hi\"}";

	netra_wire_data(&o, 42, "post", post, strlen(post), 1700000000123456);
	ck_assert_uint_eq(o.n, 5);
	ck_assert_int_eq(o.frames[0].len, 4);
	ck_assert_int_eq(memcmp(o.frames[0].data, "DATA", 4), 0);
	ck_assert_int_eq(memcmp(o.frames[1].data, "42", 2), 0);
	ck_assert_int_eq(parse(&o, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(m.type, NETRA_WIRE_DATA);
	ck_assert_uint_eq(m.seq, 42);
	ck_assert_str_eq(m.kind, "post");
	ck_assert_uint_eq(m.payload_len, strlen(post));
	ck_assert_int_eq(memcmp(m.payload, post, m.payload_len), 0);
	ck_assert_int_eq(m.origin_us, 1700000000123456);
}
END_TEST

START_TEST(ack_holds_many_and_is_bounded)
{
	char err[256];

	netra_wire_ack_begin(&o);
	for (uint64_t i = 0; i < NETRA_WIRE_MAX_ACKS; i++)
		ck_assert_int_eq(netra_wire_ack_add(&o, 1000 + i), NETRA_OK);
	ck_assert_int_eq(netra_wire_ack_add(&o, 1), NETRA_ETOOBIG);
	ck_assert_uint_eq(netra_wire_ack_count(&o), NETRA_WIRE_MAX_ACKS);
	ck_assert_int_eq(parse(&o, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(m.type, NETRA_WIRE_ACK);
	ck_assert_uint_eq(m.nacks, NETRA_WIRE_MAX_ACKS);
	ck_assert_uint_eq(m.acks[0], 1000);
	ck_assert_uint_eq(m.acks[NETRA_WIRE_MAX_ACKS - 1], 1000 + NETRA_WIRE_MAX_ACKS - 1);
}
END_TEST

START_TEST(ping_pong)
{
	char err[256];

	netra_wire_ping(&o, 7);
	ck_assert_int_eq(parse(&o, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(m.type, NETRA_WIRE_PING);
	ck_assert_uint_eq(m.token, 7);
	netra_wire_pong(&o, 18446744073709551615ull);
	ck_assert_int_eq(parse(&o, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(m.type, NETRA_WIRE_PONG);
	ck_assert_uint_eq(m.token, 18446744073709551615ull);
}
END_TEST

/* Bad frames are errors with a message, never a crash. */
START_TEST(bad_frames_are_rejected)
{
	static const struct {
		const char *frames[6];
		size_t n;
		const char *why;
	} cases[] = {
		{{"NOPE"}, 1, "unknown command"},
		{{"DATA", "1", "post", "{}"}, 4, "expected 5"},
		{{"DATA", "-1", "post", "{}", "0"}, 5, "sequence"},
		{{"DATA", "18446744073709551616", "post", "{}", "0"}, 5, "sequence"},
		{{"DATA", "1", "", "{}", "0"}, 5, "kind"},
		{{"DATA", "1", "post", "{}", "x"}, 5, "origin"},
		{{"ACK"}, 1, "expected 2"},
		{{"ACK", "1", "two"}, 3, "frame 2"},
		{{"PING"}, 1, "PING"},
		{{"PONG", ""}, 2, "PONG"},
	};
	struct netra_wire_frame f[6];
	char err[256];

	memset(f, 0, sizeof(f));
	ck_assert_int_eq(netra_wire_parse(f, 0, 10, &m, err, sizeof(err)), NETRA_EINVAL);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (size_t i = 0; i < cases[c].n; i++) {
			f[i].data = cases[c].frames[i];
			f[i].len = strlen(cases[c].frames[i]);
		}
		ck_assert_int_eq(netra_wire_parse(f, cases[c].n, 10, &m, err, sizeof(err)),
				 NETRA_EINVAL);
		ck_assert_msg(strstr(err, cases[c].why) != NULL, "case %zu: %s", c, err);
	}
	/* A payload over the maximum. */
	netra_wire_data(&o, 1, "flag", "0123456789ab", 12, 0);
	ck_assert_int_eq(netra_wire_parse(o.frames, o.n, 10, &m, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "maximum"));
}
END_TEST

START_TEST(one_frame_of_netstrings)
{
	struct netra_wire_out *wo = calloc(1, sizeof(*wo));
	struct netra_wire_frame f[NETRA_WIRE_MAX_FRAMES];
	struct netra_wire_msg *wm = calloc(1, sizeof(*wm));
	struct netra_buf b;
	size_t n = 0;
	char err[256];
	static const char payload[] = "{\"id\":\"a,b:c\"}";

	netra_buf_init(&b, 1 << 20);
	netra_wire_data(wo, 42, "post", payload, strlen(payload), 7);
	ck_assert_int_eq(netra_wire_pack(wo, &b), NETRA_OK);
	ck_assert_str_eq(netra_buf_str(&b), "4:DATA,2:42,4:post,14:{\"id\":\"a,b:c\"},1:7,");
	ck_assert_int_eq(netra_wire_unpack(b.data, b.len, f, NETRA_WIRE_MAX_FRAMES, &n, err, sizeof(err)),
			 NETRA_OK);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(netra_wire_parse(f, n, 1024, wm, err, sizeof(err)), NETRA_OK);
	ck_assert_uint_eq(wm->seq, 42);
	ck_assert_uint_eq(wm->payload_len, strlen(payload));
	ck_assert_int_eq(memcmp(wm->payload, payload, wm->payload_len), 0);
	/* Broken netstrings: no length, a length past the end, no comma. */
	ck_assert_int_eq(netra_wire_unpack("DATA", 4, f, 8, &n, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "byte 0"));
	ck_assert_int_eq(netra_wire_unpack("9:DATA,", 7, f, 8, &n, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "runs past the frame"));
	ck_assert_int_eq(netra_wire_unpack("4:DATA;", 7, f, 8, &n, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_int_eq(netra_wire_unpack("1:a,1:b,1:c,", 12, f, 2, &n, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "more than 2 fields"));
	netra_buf_free(&b);
	free(wo);
	free(wm);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");

	tcase_add_test(tc, data_round_trip);
	tcase_add_test(tc, ack_holds_many_and_is_bounded);
	tcase_add_test(tc, ping_pong);
	tcase_add_test(tc, bad_frames_are_rejected);
	tcase_add_test(tc, one_frame_of_netstrings);
	suite_add_tcase(s, tc);
	return s;
}
