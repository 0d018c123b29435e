/* Case files: the matched words are marked (and only those), text from
 * posts is escaped for each format, and the files land where they should. */
#include "core/error.h"
#include "core/util.h"
#include "sinks/casefile.h"

#include "tests/unit/check_main.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char doc_text[] =
	"{\"versi_format\":1,\"dibuat\":\"2024-12-01T00:00:00Z\","
	"\"kasus\":{\"id\":7,\"nomor\":\"KASUS-000007\",\"status\":\"investigasi\","
	"\"status_label\":\"Investigasi\",\"dibuka\":\"x\",\"diperbarui\":\"y\"},"
	"\"asn\":{\"nip\":\"198503152010011002\",\"nama\":\"Budi <b>Santoso</b>\",\"jabatan\":null,"
	"\"kelas_jabatan\":null,\"instansi\":\"Pemkab Contoh\",\"provinsi\":null,"
	"\"dikenali_dari\":\"watchlist\"},\"pemilihan\":{\"id\":\"e1\",\"nama\":null},"
	"\"bukti\":[{\"id\":3,\"id_unggahan\":\"m:1\",\"tautan\":\"https://m.example/1?a=1&b=2\","
	"\"sumber\":\"mastodon\",\"akun\":\"budi\",\"tindakan\":\"Membagikan\","
	"\"waktu_unggah\":null,\"waktu_tangkap\":\"z\",\"tahapan\":\"kampanye\","
	"\"kelas_tahapan\":\"setelah_penetapan\",\"calon\":2,\"kategori\":[\"dukungan\"],"
	"\"skor\":0.9,\"sha256\":\"abc\",\"teks\":[{\"bidang\":\"text\",\"label\":\"Teks unggahan\","
	"\"isi\":\"Mantap! *2* <3 #BADEmenang\",\"tanda\":[{\"awal\":0,\"akhir\":6,\"kata\":\"Mantap\","
	"\"aturan\":[\"r\"]},{\"awal\":15,\"akhir\":26,\"kata\":\"#BADEmenang\",\"aturan\":[\"r\"]}]}],"
	"\"keputusan\":{\"status\":\"dikonfirmasi\",\"oleh\":\"ani\",\"waktu\":\"t\",\"alasan\":null},"
	"\"unggahan\":{}}],\"kategori\":[],\"saran_sanksi\":{\"sanksi\":null,\"label\":null},"
	"\"rekomendasi\":null,\"tindak_lanjut\":null,\"riwayat\":[]}";

static json_t *doc(void)
{
	json_t *d = json_loads(doc_text, 0, NULL);

	ck_assert_ptr_nonnull(d);
	return d;
}

static char *render(enum netra_casefile_format f)
{
	struct netra_buf b;
	json_t *d = doc();
	char *s;

	netra_buf_init(&b, NETRA_CASEFILE_MAX);
	ck_assert_int_eq(netra_casefile_render(d, f, &b), NETRA_OK);
	s = netra_buf_steal(&b);
	json_decref(d);
	return s;
}

START_TEST(html_marks_the_hits_and_escapes)
{
	char *h = render(NETRA_CASEFILE_HTML);

	ck_assert_ptr_nonnull(strstr(h, "<mark>Mantap</mark>! *2* &lt;3 <mark>#BADEmenang</mark>"));
	ck_assert_ptr_nonnull(strstr(h, "Budi &lt;b&gt;Santoso&lt;/b&gt;"));
	ck_assert_ptr_nonnull(strstr(h, "href=\"https://m.example/1?a=1&amp;b=2\""));
	ck_assert_ptr_nonnull(strstr(h, "@media print"));
	ck_assert_ptr_nonnull(strstr(h, "<html lang=\"id\">"));
	/* Self-contained: nothing fetched from the network. */
	ck_assert_ptr_null(strstr(h, "<script"));
	ck_assert_ptr_null(strstr(h, "<link"));
	ck_assert_ptr_null(strstr(h, "src=\"http"));
	free(h);
}
END_TEST

START_TEST(markdown_marks_the_hits_and_escapes)
{
	char *m = render(NETRA_CASEFILE_MD);

	ck_assert_ptr_nonnull(strstr(m, "> **Mantap**! \\*2\\* \\<3 **\\#BADEmenang**"));
	ck_assert_ptr_nonnull(strstr(m, "# Berkas Kasus KASUS-000007"));
	ck_assert_ptr_nonnull(strstr(m, "### Bukti 3 — Dikonfirmasi"));
	ck_assert_ptr_nonnull(strstr(m, "Belum ada rekomendasi."));
	free(m);
}
END_TEST

START_TEST(json_is_the_document)
{
	char *j = render(NETRA_CASEFILE_JSON);
	json_t *back = json_loads(j, 0, NULL);
	json_t *d = doc();

	ck_assert_ptr_nonnull(back);
	ck_assert(json_equal(back, d));
	json_decref(back);
	json_decref(d);
	free(j);
}
END_TEST

START_TEST(files_are_written_by_case_number)
{
	char dir[256];
	char path[512];
	char cmd[300];
	char err[512];
	json_t *d = doc();
	enum netra_casefile_format f;

	snprintf(dir, sizeof(dir), "/tmp/netra-test-casefile-%d", (int)getpid());
	ck_assert_int_eq(netra_casefile_write_all(dir, d, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(netra_casefile_write(dir, d, NETRA_CASEFILE_HTML, path, sizeof(path), err,
					      sizeof(err)),
			 NETRA_OK);
	ck_assert_ptr_nonnull(strstr(path, "/kasus-000007.html"));
	ck_assert_int_eq(access(path, R_OK), 0);
	ck_assert_int_eq(netra_casefile_format_parse("json", &f), 0);
	ck_assert_int_eq(f, NETRA_CASEFILE_JSON);
	ck_assert_int_eq(netra_casefile_format_parse("pdf", &f), -1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	json_decref(d);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("casefile");
	TCase *tc = tcase_create("render");

	tcase_add_test(tc, html_marks_the_hits_and_escapes);
	tcase_add_test(tc, markdown_marks_the_hits_and_escapes);
	tcase_add_test(tc, json_is_the_document);
	tcase_add_test(tc, files_are_written_by_case_number);
	suite_add_tcase(s, tc);
	return s;
}
