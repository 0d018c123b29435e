/* Case files in Markdown, JSON and HTML, from one document. Every text that
 * came from a post or a reviewer is escaped for the format. */
#include "sinks/casefile.h"

#include "core/error.h"
#include "core/post.h"
#include "core/util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const exts[NETRA_CASEFILE_NFORMATS] = {"md", "json", "html"};

int netra_casefile_format_parse(const char *name, enum netra_casefile_format *out)
{
	for (int i = 0; name != NULL && i < NETRA_CASEFILE_NFORMATS; i++) {
		if (strcmp(exts[i], name) == 0) {
			*out = (enum netra_casefile_format)i;
			return 0;
		}
	}
	return -1;
}

const char *netra_casefile_ext(enum netra_casefile_format f)
{
	return (unsigned)f < NETRA_CASEFILE_NFORMATS ? exts[f] : "txt";
}

/* A writer whose first error sticks, so that rendering reads as a list of
 * puts with one check at the end. */
struct out {
	struct netra_buf *b; /* destination */
	int rc;              /* first error, or 0 */
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	if (o->rc != 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->rc = NETRA_EINVAL;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		o->rc = netra_buf_add(o->b, small, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	{
		char *big = malloc((size_t)n + 1);
		if (big == NULL) {
			o->rc = NETRA_ENOMEM;
		} else {
			vsnprintf(big, (size_t)n + 1, fmt, ap);
			o->rc = netra_buf_add(o->b, big, (size_t)n);
			free(big);
		}
	}
	va_end(ap);
}

static void putn(struct out *o, const char *p, size_t n)
{
	if (o->rc == 0)
		o->rc = netra_buf_add(o->b, p, n);
}

/* A string member, or NULL. */
static const char *S(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A string member, or dflt. */
static const char *SD(const json_t *o, const char *key, const char *dflt)
{
	const char *s = S(o, key);

	return s != NULL && *s != '\0' ? s : dflt;
}

static const char *decision_label(const char *code)
{
	if (code != NULL && strcmp(code, "dikonfirmasi") == 0)
		return "Dikonfirmasi";
	if (code != NULL && strcmp(code, "ditolak") == 0)
		return "Ditolak";
	return "Belum ditinjau";
}

static const char *identified_label(const char *code)
{
	if (code == NULL)
		return "-";
	if (strcmp(code, "watchlist") == 0)
		return "daftar pantau (watchlist)";
	if (strcmp(code, "bio") == 0)
		return "profil akun (bio)";
	if (strcmp(code, "report") == 0)
		return "laporan mitra";
	return code;
}

static const char *action_label(const char *a)
{
	static const char *const labels[][2] = {
		{"case.open", "Kasus dibuka"},
		{"case.move", "Status diubah"},
		{"case.recommend", "Rekomendasi sanksi"},
		{"case.follow_up", "Tindak lanjut PPK dicatat"},
	};

	for (size_t i = 0; a != NULL && i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strcmp(labels[i][0], a) == 0)
			return labels[i][1];
	}
	return a != NULL ? a : "-";
}

/* ---- Markdown ---- */

/* Escape text for Markdown; newlines continue the blockquote when quote. */
static void md_text(struct out *o, const char *p, size_t n, int quote)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (strchr("\\`*_[]<>#|", ch) != NULL && ch != '\0') {
			putn(o, p + run, i - run);
			put(o, "\\%c", ch);
			run = i + 1;
		} else if (ch == '\n' || ch == '\r' || ch == '\0') {
			putn(o, p + run, i - run);
			if (ch == '\n')
				put(o, quote ? "  \n> " : " ");
			run = i + 1;
		}
	}
	putn(o, p + run, n - run);
}

static void md_str(struct out *o, const char *s)
{
	md_text(o, s != NULL ? s : "-", s != NULL ? strlen(s) : 1, 0);
}

/* A field's content with its marks, as a blockquote. */
static void md_marked(struct out *o, const json_t *field)
{
	const json_t *isi = json_object_get(field, "isi");
	const char *text = json_string_value(isi);
	size_t len = json_string_length(isi);
	size_t pos = 0;
	size_t i;
	json_t *m;

	put(o, "**%s**\n\n> ", SD(field, "label", "Teks"));
	json_array_foreach(json_object_get(field, "tanda"), i, m) {
		size_t a = (size_t)json_integer_value(json_object_get(m, "awal"));
		size_t b = (size_t)json_integer_value(json_object_get(m, "akhir"));
		if (a < pos || b > len || b <= a)
			continue;
		md_text(o, text + pos, a - pos, 1);
		put(o, "**");
		md_text(o, text + a, b - a, 1);
		put(o, "**");
		pos = b;
	}
	md_text(o, text + pos, len - pos, 1);
	put(o, "\n\n");
}

static void md_row(struct out *o, const char *label, const char *value)
{
	put(o, "| %s | ", label);
	md_str(o, value);
	put(o, " |\n");
}

static void render_md(const json_t *doc, struct out *o)
{
	const json_t *kasus = json_object_get(doc, "kasus");
	const json_t *asn = json_object_get(doc, "asn");
	const json_t *pem = json_object_get(doc, "pemilihan");
	const json_t *sar = json_object_get(doc, "saran_sanksi");
	const json_t *rec = json_object_get(doc, "rekomendasi");
	const json_t *fu = json_object_get(doc, "tindak_lanjut");
	size_t i;
	json_t *v;

	put(o, "# Berkas Kasus %s\n\n", SD(kasus, "nomor", "-"));
	put(o, "- Status: **%s** (`%s`)\n", SD(kasus, "status_label", "-"), SD(kasus, "status", "-"));
	put(o, "- Dibuka: %s\n- Diperbarui: %s\n- Berkas dibuat: %s\n\n", SD(kasus, "dibuka", "-"),
	    SD(kasus, "diperbarui", "-"), SD(doc, "dibuat", "-"));
	put(o, "## Aparatur Sipil Negara (ASN)\n\n| Data | Isi |\n|---|---|\n");
	md_row(o, "Nama", SD(asn, "nama", "(tidak diketahui)"));
	md_row(o, "NIP", SD(asn, "nip", "(tidak diketahui)"));
	md_row(o, "Jabatan", SD(asn, "jabatan", "-"));
	md_row(o, "Kelas jabatan", SD(asn, "kelas_jabatan", "-"));
	md_row(o, "Instansi", SD(asn, "instansi", "-"));
	md_row(o, "Provinsi", SD(asn, "provinsi", "-"));
	md_row(o, "Dikenali dari", identified_label(S(asn, "dikenali_dari")));
	put(o, "\n## Pemilihan\n\n");
	md_str(o, SD(pem, "nama", "(nama pemilihan tidak diketahui)"));
	put(o, " (`%s`)\n\n", SD(pem, "id", "-"));
	put(o, "## Kategori pelanggaran dan dasar hukum\n\n");
	if (json_array_size(json_object_get(doc, "kategori")) == 0) {
		put(o, "Belum ada kategori: semua bukti ditolak.\n\n");
	} else {
		put(o, "| Kategori | Tahapan | Saran sanksi | Dasar hukum |\n|---|---|---|---|\n");
		json_array_foreach(json_object_get(doc, "kategori"), i, v) {
			put(o, "| ");
			md_str(o, SD(v, "nama", "-"));
			put(o, " (`%s`) | ", SD(v, "kode", "-"));
			md_str(o, SD(v, "tahapan", SD(v, "kelas_tahapan", "tidak diketahui")));
			put(o, " | ");
			md_str(o, SD(v, "saran_sanksi_label", "-"));
			put(o, " | ");
			md_str(o, SD(v, "dasar_hukum", "-"));
			put(o, " |\n");
		}
		put(o, "\nSaran sanksi menurut tabel aturan: **");
		md_str(o, SD(sar, "label", "tidak ada"));
		put(o, "**. Saran ini hanya bahan pertimbangan; peninjau yang memutuskan.\n\n");
	}
	put(o, "## Bukti (%zu)\n\n", json_array_size(json_object_get(doc, "bukti")));
	json_array_foreach(json_object_get(doc, "bukti"), i, v) {
		const json_t *kep = json_object_get(v, "keputusan");
		size_t k;
		json_t *t;
		put(o, "### Bukti %" JSON_INTEGER_FORMAT " — %s\n\n",
		    json_integer_value(json_object_get(v, "id")), decision_label(S(kep, "status")));
		put(o, "- Tautan: ");
		md_str(o, SD(v, "tautan", "-"));
		put(o, "\n- Akun: ");
		md_str(o, SD(v, "akun", "-"));
		put(o, " (");
		md_str(o, SD(v, "sumber", "-"));
		put(o, ")\n- Tindakan: %s\n- Waktu unggah: ", SD(v, "tindakan", "-"));
		md_str(o, SD(v, "waktu_unggah", "-"));
		put(o, "\n- Waktu tangkap: %s\n- Tahapan: ", SD(v, "waktu_tangkap", "-"));
		md_str(o, SD(v, "tahapan", "-"));
		if (json_is_integer(json_object_get(v, "calon")))
			put(o, "\n- Calon: nomor urut %" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(v, "calon")));
		put(o, "\n- Kategori: ");
		json_array_foreach(json_object_get(v, "kategori"), k, t)
			put(o, "%s`%s`", k ? ", " : "", json_string_value(t));
		put(o, "\n- SHA-256 unggahan: `%s`\n- Keputusan peninjau: %s", SD(v, "sha256", "-"),
		    decision_label(S(kep, "status")));
		if (S(kep, "oleh") != NULL) {
			put(o, " oleh ");
			md_str(o, S(kep, "oleh"));
			put(o, " pada %s", SD(kep, "waktu", "-"));
		}
		if (S(kep, "alasan") != NULL && *S(kep, "alasan") != '\0') {
			put(o, "; alasan: ");
			md_str(o, S(kep, "alasan"));
		}
		put(o, "\n\n");
		json_array_foreach(json_object_get(v, "teks"), k, t)
			md_marked(o, t);
	}
	put(o, "## Rekomendasi kepada PPK\n\n");
	if (!json_is_object(rec)) {
		put(o, "Belum ada rekomendasi.\n\n");
	} else {
		put(o, "- Sanksi: **");
		md_str(o, SD(rec, "label", "-"));
		put(o, "**\n- Dasar: ");
		md_str(o, SD(rec, "dasar", "-"));
		put(o, "\n- Oleh: ");
		md_str(o, SD(rec, "oleh", "-"));
		put(o, "\n- Waktu: %s\n\n", SD(rec, "waktu", "-"));
	}
	put(o, "## Tindak lanjut PPK\n\n");
	if (!json_is_object(fu)) {
		put(o, "Belum ada tindak lanjut.\n\n");
	} else {
		put(o, "- Keputusan: ");
		md_str(o, SD(fu, "keputusan", "-"));
		put(o, "\n- Tanggal keputusan: %s\n- Dicatat oleh: ", SD(fu, "tanggal", "-"));
		md_str(o, SD(fu, "oleh", "-"));
		put(o, " pada %s\n\n", SD(fu, "dicatat", "-"));
	}
	put(o, "## Riwayat\n\n| Waktu | Oleh | Tindakan | Status | Alasan |\n|---|---|---|---|---|\n");
	json_array_foreach(json_object_get(doc, "riwayat"), i, v) {
		put(o, "| %s | ", SD(v, "waktu", "-"));
		md_str(o, SD(v, "oleh", "-"));
		put(o, " | %s | ", action_label(S(v, "aksi")));
		if (S(v, "ke") != NULL)
			put(o, "%s → %s", SD(v, "dari", "-"), S(v, "ke"));
		else
			put(o, "-");
		put(o, " | ");
		md_str(o, SD(v, "alasan", "-"));
		put(o, " |\n");
	}
}

/* ---- HTML ---- */

static void html_text(struct out *o, const char *p, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = ""; break;
		default: break;
		}
		if (rep != NULL) {
			putn(o, p + run, i - run);
			put(o, "%s", rep);
			run = i + 1;
		}
	}
	putn(o, p + run, n - run);
}

static void h(struct out *o, const char *s)
{
	html_text(o, s != NULL ? s : "-", s != NULL ? strlen(s) : 1);
}

static void html_row(struct out *o, const char *label, const char *value)
{
	put(o, "<tr><th>%s</th><td>", label);
	h(o, value);
	put(o, "</td></tr>\n");
}

static void html_marked(struct out *o, const json_t *field)
{
	const json_t *isi = json_object_get(field, "isi");
	const char *text = json_string_value(isi);
	size_t len = json_string_length(isi);
	size_t pos = 0;
	size_t i;
	json_t *m;

	put(o, "<div class=\"field\"><div class=\"label\">");
	h(o, SD(field, "label", "Teks"));
	put(o, "</div><blockquote>");
	json_array_foreach(json_object_get(field, "tanda"), i, m) {
		size_t a = (size_t)json_integer_value(json_object_get(m, "awal"));
		size_t b = (size_t)json_integer_value(json_object_get(m, "akhir"));
		if (a < pos || b > len || b <= a)
			continue;
		html_text(o, text + pos, a - pos);
		put(o, "<mark>");
		html_text(o, text + a, b - a);
		put(o, "</mark>");
		pos = b;
	}
	html_text(o, text + pos, len - pos);
	put(o, "</blockquote></div>\n");
}

static const char css[] =
	"body{font-family:'DejaVu Serif',Georgia,serif;max-width:52em;margin:2em auto;"
	"padding:0 1em;color:#111;line-height:1.45}"
	"h1{font-size:1.6em;border-bottom:2px solid #333}h2{font-size:1.25em;margin-top:1.6em;"
	"border-bottom:1px solid #999}h3{font-size:1.05em}"
	"table{border-collapse:collapse;width:100%;margin:.5em 0}"
	"th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}"
	"th{background:#eee;width:14em}"
	"blockquote{margin:.3em 0 .8em;padding:.4em .8em;border-left:4px solid #999;"
	"white-space:pre-wrap;background:#fafafa}"
	"mark{background:#ffe14d;color:#000;font-weight:bold}"
	".label{font-weight:bold;margin-top:.5em}.bukti{border:1px solid #ccc;padding:.3em 1em;"
	"margin:1em 0}.sha{font-family:'DejaVu Sans Mono',monospace;font-size:.85em;"
	"word-break:break-all}.note{font-size:.9em;color:#444}"
	"@page{size:A4;margin:2cm}"
	"@media print{body{margin:0;max-width:none}.bukti,tr,blockquote{break-inside:avoid;"
	"page-break-inside:avoid}h2,h3{break-after:avoid;page-break-after:avoid}"
	"mark{-webkit-print-color-adjust:exact;print-color-adjust:exact;"
	"outline:1px solid #000}a{color:#000;text-decoration:none}"
	"a[href]:after{content:' (' attr(href) ')';font-size:.8em;word-break:break-all}}";

static void render_html(const json_t *doc, struct out *o)
{
	const json_t *kasus = json_object_get(doc, "kasus");
	const json_t *asn = json_object_get(doc, "asn");
	const json_t *pem = json_object_get(doc, "pemilihan");
	const json_t *sar = json_object_get(doc, "saran_sanksi");
	const json_t *rec = json_object_get(doc, "rekomendasi");
	const json_t *fu = json_object_get(doc, "tindak_lanjut");
	size_t i;
	json_t *v;

	put(o, "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<title>Berkas Kasus ");
	h(o, SD(kasus, "nomor", "-"));
	put(o, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>Berkas Kasus ", css);
	h(o, SD(kasus, "nomor", "-"));
	put(o, "</h1>\n<table>\n");
	html_row(o, "Status", SD(kasus, "status_label", "-"));
	html_row(o, "Dibuka", SD(kasus, "dibuka", "-"));
	html_row(o, "Diperbarui", SD(kasus, "diperbarui", "-"));
	html_row(o, "Berkas dibuat", SD(doc, "dibuat", "-"));
	put(o, "</table>\n<h2>Aparatur Sipil Negara (ASN)</h2>\n<table>\n");
	html_row(o, "Nama", SD(asn, "nama", "(tidak diketahui)"));
	html_row(o, "NIP", SD(asn, "nip", "(tidak diketahui)"));
	html_row(o, "Jabatan", SD(asn, "jabatan", "-"));
	html_row(o, "Kelas jabatan", SD(asn, "kelas_jabatan", "-"));
	html_row(o, "Instansi", SD(asn, "instansi", "-"));
	html_row(o, "Provinsi", SD(asn, "provinsi", "-"));
	html_row(o, "Dikenali dari", identified_label(S(asn, "dikenali_dari")));
	put(o, "</table>\n<h2>Pemilihan</h2>\n<p>");
	h(o, SD(pem, "nama", "(nama pemilihan tidak diketahui)"));
	put(o, " (<code>");
	h(o, SD(pem, "id", "-"));
	put(o, "</code>)</p>\n<h2>Kategori pelanggaran dan dasar hukum</h2>\n");
	if (json_array_size(json_object_get(doc, "kategori")) == 0) {
		put(o, "<p>Belum ada kategori: semua bukti ditolak.</p>\n");
	} else {
		put(o, "<table>\n<tr><th>Kategori</th><th>Tahapan</th><th>Saran sanksi</th>"
		       "<th>Dasar hukum</th></tr>\n");
		json_array_foreach(json_object_get(doc, "kategori"), i, v) {
			put(o, "<tr><td>");
			h(o, SD(v, "nama", "-"));
			put(o, " (<code>");
			h(o, SD(v, "kode", "-"));
			put(o, "</code>)</td><td>");
			h(o, SD(v, "tahapan", SD(v, "kelas_tahapan", "tidak diketahui")));
			put(o, "</td><td>");
			h(o, SD(v, "saran_sanksi_label", "-"));
			put(o, "</td><td>");
			h(o, SD(v, "dasar_hukum", "-"));
			put(o, "</td></tr>\n");
		}
		put(o, "</table>\n<p>Saran sanksi menurut tabel aturan: <strong>");
		h(o, SD(sar, "label", "tidak ada"));
		put(o, "</strong>. <span class=\"note\">Saran ini hanya bahan pertimbangan; peninjau "
		       "yang memutuskan.</span></p>\n");
	}
	put(o, "<h2>Bukti (%zu)</h2>\n", json_array_size(json_object_get(doc, "bukti")));
	json_array_foreach(json_object_get(doc, "bukti"), i, v) {
		const json_t *kep = json_object_get(v, "keputusan");
		char tmp[64];
		size_t k;
		json_t *t;
		put(o, "<div class=\"bukti\">\n<h3>Bukti %" JSON_INTEGER_FORMAT " — %s</h3>\n<table>\n",
		    json_integer_value(json_object_get(v, "id")), decision_label(S(kep, "status")));
		put(o, "<tr><th>Tautan</th><td>");
		if (S(v, "tautan") != NULL) {
			put(o, "<a href=\"");
			h(o, S(v, "tautan"));
			put(o, "\">");
			h(o, S(v, "tautan"));
			put(o, "</a>");
		} else {
			put(o, "-");
		}
		put(o, "</td></tr>\n");
		html_row(o, "Akun", SD(v, "akun", "-"));
		html_row(o, "Sumber", SD(v, "sumber", "-"));
		html_row(o, "Tindakan", SD(v, "tindakan", "-"));
		html_row(o, "Waktu unggah", SD(v, "waktu_unggah", "-"));
		html_row(o, "Waktu tangkap", SD(v, "waktu_tangkap", "-"));
		html_row(o, "Tahapan", SD(v, "tahapan", "-"));
		if (json_is_integer(json_object_get(v, "calon"))) {
			snprintf(tmp, sizeof(tmp), "nomor urut %" JSON_INTEGER_FORMAT,
				 json_integer_value(json_object_get(v, "calon")));
			html_row(o, "Calon", tmp);
		}
		put(o, "<tr><th>Kategori</th><td>");
		json_array_foreach(json_object_get(v, "kategori"), k, t) {
			put(o, "%s", k ? ", " : "");
			h(o, json_string_value(t));
		}
		put(o, "</td></tr>\n<tr><th>SHA-256 unggahan</th><td class=\"sha\">");
		h(o, SD(v, "sha256", "-"));
		put(o, "</td></tr>\n<tr><th>Keputusan peninjau</th><td>%s",
		    decision_label(S(kep, "status")));
		if (S(kep, "oleh") != NULL) {
			put(o, " oleh ");
			h(o, S(kep, "oleh"));
			put(o, " pada ");
			h(o, SD(kep, "waktu", "-"));
		}
		if (S(kep, "alasan") != NULL && *S(kep, "alasan") != '\0') {
			put(o, "; alasan: ");
			h(o, S(kep, "alasan"));
		}
		put(o, "</td></tr>\n</table>\n");
		json_array_foreach(json_object_get(v, "teks"), k, t)
			html_marked(o, t);
		put(o, "</div>\n");
	}
	put(o, "<h2>Rekomendasi kepada PPK</h2>\n");
	if (!json_is_object(rec)) {
		put(o, "<p>Belum ada rekomendasi.</p>\n");
	} else {
		put(o, "<table>\n");
		html_row(o, "Sanksi", SD(rec, "label", "-"));
		html_row(o, "Dasar", SD(rec, "dasar", "-"));
		html_row(o, "Oleh", SD(rec, "oleh", "-"));
		html_row(o, "Waktu", SD(rec, "waktu", "-"));
		put(o, "</table>\n");
	}
	put(o, "<h2>Tindak lanjut PPK</h2>\n");
	if (!json_is_object(fu)) {
		put(o, "<p>Belum ada tindak lanjut.</p>\n");
	} else {
		put(o, "<table>\n");
		html_row(o, "Keputusan", SD(fu, "keputusan", "-"));
		html_row(o, "Tanggal keputusan", SD(fu, "tanggal", "-"));
		html_row(o, "Dicatat oleh", SD(fu, "oleh", "-"));
		html_row(o, "Dicatat pada", SD(fu, "dicatat", "-"));
		put(o, "</table>\n");
	}
	put(o, "<h2>Riwayat</h2>\n<table>\n<tr><th>Waktu</th><th>Oleh</th><th>Tindakan</th>"
	       "<th>Status</th><th>Alasan</th></tr>\n");
	json_array_foreach(json_object_get(doc, "riwayat"), i, v) {
		put(o, "<tr><td>");
		h(o, SD(v, "waktu", "-"));
		put(o, "</td><td>");
		h(o, SD(v, "oleh", "-"));
		put(o, "</td><td>%s</td><td>", action_label(S(v, "aksi")));
		if (S(v, "ke") != NULL) {
			h(o, SD(v, "dari", "-"));
			put(o, " → ");
			h(o, S(v, "ke"));
		} else {
			put(o, "-");
		}
		put(o, "</td><td>");
		h(o, SD(v, "alasan", "-"));
		put(o, "</td></tr>\n");
	}
	put(o, "</table>\n</body>\n</html>\n");
}

int netra_casefile_render(const json_t *doc, enum netra_casefile_format f,
			  struct netra_buf *out)
{
	struct out o = {out, 0};
	char *text;

	switch (f) {
	case NETRA_CASEFILE_MD:
		render_md(doc, &o);
		break;
	case NETRA_CASEFILE_HTML:
		render_html(doc, &o);
		break;
	case NETRA_CASEFILE_JSON:
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (text == NULL)
			return NETRA_ENOMEM;
		put(&o, "%s\n", text);
		free(text);
		break;
	default:
		return NETRA_EINVAL;
	}
	return o.rc;
}

int netra_casefile_path(const char *dir, int64_t case_id, enum netra_casefile_format f,
			char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s/kasus-%06" PRId64 ".%s", dir, case_id,
			 netra_casefile_ext(f));

	return n < 0 || (size_t)n >= outsz ? NETRA_ETOOBIG : NETRA_OK;
}

int netra_casefile_write(const char *dir, const json_t *doc, enum netra_casefile_format f,
			 char *path, size_t pathsz, char *err, size_t errsz)
{
	struct netra_buf b;
	char p[4096];
	json_int_t id = json_integer_value(json_object_get(json_object_get(doc, "kasus"), "id"));
	int rc;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errsz, "%s: cannot create: %s", dir, strerror(errno));
		return NETRA_EIO;
	}
	if (netra_casefile_path(dir, (int64_t)id, f, p, sizeof(p)) != NETRA_OK) {
		snprintf(err, errsz, "%s: path too long", dir);
		return NETRA_ETOOBIG;
	}
	netra_buf_init(&b, NETRA_CASEFILE_MAX);
	rc = netra_casefile_render(doc, f, &b);
	if (rc != NETRA_OK)
		snprintf(err, errsz, "%s: %s", p, netra_strerror(rc));
	else
		rc = netra_file_write_atomic(p, netra_buf_str(&b), b.len, err, errsz);
	netra_buf_free(&b);
	if (rc == NETRA_OK && path != NULL)
		netra_strlcpy(path, p, pathsz);
	return rc;
}

int netra_casefile_write_all(const char *dir, const json_t *doc, char *err, size_t errsz)
{
	int first = NETRA_OK;

	for (int f = 0; f < NETRA_CASEFILE_NFORMATS; f++) {
		char e2[512];
		int rc = netra_casefile_write(dir, doc, (enum netra_casefile_format)f, NULL, 0, e2,
					      sizeof(e2));
		if (rc != NETRA_OK && first == NETRA_OK) {
			first = rc;
			snprintf(err, errsz, "%s", e2);
		}
	}
	return first;
}
