#include "core/journal.h"

#include "core/error.h"
#include "core/log.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

enum {
	HEADER_BYTES = 16,     /* length, checksum, sequence number */
	NAME_DIGITS = 20,      /* digits of a segment name */
	MAX_SEGMENTS = 1 << 20 /* more would mean a corrupt folder */
};

/* One segment file. Its records have the consecutive sequence numbers
 * first .. next-1. */
struct segment {
	uint64_t first;  /* sequence number of its first record */
	uint64_t next;   /* one past its last record's */
	uint64_t size;   /* bytes in the file */
	uint64_t nacked; /* records acknowledged */
	uint8_t *acked;  /* one bit per record */
	size_t acked_cap; /* bytes allocated in acked */
	int fd;          /* open read-write */
};

struct netra_journal {
	char *dir;                        /* the folder */
	struct netra_journal_options opt; /* limits */
	struct segment *segs;             /* oldest first; the last is appended to */
	size_t nsegs;                     /* entries in segs */
	size_t segs_cap;                  /* allocated entries */
	uint64_t bytes;                   /* sum of the segments' sizes */
	uint64_t unacked;                 /* records not yet acknowledged */
	uint64_t read_seq;                /* next sequence number the cursor reads */
	uint64_t read_off;                /* its offset in its segment */
	size_t unsynced;                  /* appends since the last fsync */
	int lock_fd;                      /* flock on dir/LOCK: one process per journal */
};

void netra_journal_options_default(struct netra_journal_options *o)
{
	o->segment_bytes = 4u * 1024 * 1024;
	o->quota_bytes = 1024ull * 1024 * 1024;
	o->max_record = 16u * 1024 * 1024;
	o->sync_every = 0;
}

static uint32_t crc_table[256];
static int crc_ready;

uint32_t netra_crc32c(uint32_t crc, const void *data, size_t n)
{
	const unsigned char *p = data;

	/* Built on first use; a race would write identical values. */
	if (!crc_ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
			crc_table[i] = c;
		}
		crc_ready = 1;
	}
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
	return ~crc;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t record_crc(uint64_t seq, const void *data, size_t len)
{
	unsigned char s[8];

	put_u64(s, seq);
	return netra_crc32c(netra_crc32c(0, s, sizeof(s)), data, len);
}

static void seg_path(const struct netra_journal *j, uint64_t first, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s/%020llu.jnl", j->dir, (unsigned long long)first);
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -1;
	if (fsync(fd) != 0 && errno != EINVAL)
		rc = -1;
	close(fd);
	return rc;
}

/* Make room for the acknowledgement bit of record seq in s. */
static int seg_reserve_bits(struct segment *s, uint64_t seq)
{
	size_t need = (size_t)((seq - s->first) / 8 + 1);
	uint8_t *p;
	size_t cap;

	if (need <= s->acked_cap)
		return NETRA_OK;
	cap = s->acked_cap ? s->acked_cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(s->acked, cap);
	if (p == NULL)
		return NETRA_ENOMEM;
	memset(p + s->acked_cap, 0, cap - s->acked_cap);
	s->acked = p;
	s->acked_cap = cap;
	return NETRA_OK;
}

static int seg_is_acked(const struct segment *s, uint64_t seq)
{
	uint64_t i = seq - s->first;

	if (s->acked == NULL || i / 8 >= s->acked_cap)
		return 0;
	return (s->acked[i / 8] >> (i % 8)) & 1u;
}

static void seg_close(struct segment *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->acked);
	s->acked = NULL;
	s->acked_cap = 0;
}

static struct segment *push_segment(struct netra_journal *j)
{
	if (j->nsegs == j->segs_cap) {
		size_t cap = j->segs_cap ? j->segs_cap * 2 : 8;
		struct segment *p;
		if (cap > MAX_SEGMENTS)
			return NULL;
		p = realloc(j->segs, cap * sizeof(*p));
		if (p == NULL)
			return NULL;
		j->segs = p;
		j->segs_cap = cap;
	}
	memset(&j->segs[j->nsegs], 0, sizeof(j->segs[0]));
	j->segs[j->nsegs].fd = -1;
	return &j->segs[j->nsegs++];
}

/* Start a new, empty segment whose first record will be first. */
static int new_segment(struct netra_journal *j, uint64_t first)
{
	char path[4096];
	struct segment *s;
	int fd;

	seg_path(j, first, path, sizeof(path));
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		netra_error("journal", j->dir, "cannot create %s: %s", path, strerror(errno));
		return NETRA_EIO;
	}
	s = push_segment(j);
	if (s == NULL) {
		close(fd);
		return NETRA_ENOMEM;
	}
	s->first = first;
	s->next = first;
	s->fd = fd;
	if (fsync_dir(j->dir) != 0)
		return NETRA_EIO;
	return NETRA_OK;
}

static void remove_segment(struct netra_journal *j, size_t i)
{
	char path[4096];

	seg_path(j, j->segs[i].first, path, sizeof(path));
	j->bytes -= j->segs[i].size;
	seg_close(&j->segs[i]);
	/* Why no fsync of the folder: a segment that comes back after a
	 * crash is only sent again, which delivery tolerates. */
	if (unlink(path) != 0)
		netra_warn("journal", j->dir, "cannot delete %s: %s", path, strerror(errno));
	memmove(&j->segs[i], &j->segs[i + 1], (j->nsegs - i - 1) * sizeof(j->segs[0]));
	j->nsegs--;
}

static int read_full(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (int)(got == n);
}

/* Scan one segment file: count its whole records and cut a torn tail when
 * last is set. */
static int scan_segment(struct netra_journal *j, struct segment *s, int last, char *err,
			size_t errsz)
{
	char path[4096];
	unsigned char hdr[HEADER_BYTES];
	struct stat st;
	uint64_t off = 0;
	char *payload = NULL;
	size_t payload_cap = 0;
	const char *why = NULL;
	int rc = NETRA_OK;

	seg_path(j, s->first, path, sizeof(path));
	s->fd = open(path, O_RDWR | O_CLOEXEC);
	if (s->fd < 0 || fstat(s->fd, &st) != 0) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return NETRA_EIO;
	}
	s->next = s->first;
	while (off < (uint64_t)st.st_size) {
		uint32_t len;
		uint64_t seq;
		int r = read_full(s->fd, hdr, sizeof(hdr), off);
		if (r < 0) {
			snprintf(err, errsz, "%s: read error at offset %llu: %s", path,
				 (unsigned long long)off, strerror(errno));
			rc = NETRA_EIO;
			goto cleanup;
		}
		if (r == 0) {
			why = "a record header is cut short";
			break;
		}
		len = get_u32(hdr);
		seq = get_u64(hdr + 8);
		if (len > j->opt.max_record) {
			why = "a record length is over the maximum";
			break;
		}
		if (seq != s->next) {
			why = "a sequence number is out of order";
			break;
		}
		if (len > payload_cap) {
			char *p = realloc(payload, len);
			if (p == NULL) {
				rc = NETRA_ENOMEM;
				goto cleanup;
			}
			payload = p;
			payload_cap = len;
		}
		r = read_full(s->fd, payload, len, off + HEADER_BYTES);
		if (r < 0) {
			snprintf(err, errsz, "%s: read error at offset %llu: %s", path,
				 (unsigned long long)off, strerror(errno));
			rc = NETRA_EIO;
			goto cleanup;
		}
		if (r == 0) {
			why = "a record is cut short";
			break;
		}
		if (record_crc(seq, payload, len) != get_u32(hdr + 4)) {
			why = "a record's checksum does not match";
			break;
		}
		off += HEADER_BYTES + (uint64_t)len;
		s->next++;
	}
	if (why != NULL) {
		if (!last) {
			snprintf(err, errsz, "%s: offset %llu: %s (not at the journal's tail: corrupt)",
				 path, (unsigned long long)off, why);
			rc = NETRA_EINVAL;
			goto cleanup;
		}
		netra_warn("journal", j->dir, "%s: offset %llu: %s; cutting the torn tail "
			   "(%llu bytes)", path, (unsigned long long)off, why,
			   (unsigned long long)((uint64_t)st.st_size - off));
		if (ftruncate(s->fd, (off_t)off) != 0 || fsync(s->fd) != 0) {
			snprintf(err, errsz, "%s: cannot cut the torn tail: %s", path, strerror(errno));
			rc = NETRA_EIO;
			goto cleanup;
		}
	}
	s->size = off;
	if (s->next > s->first && seg_reserve_bits(s, s->next - 1) != NETRA_OK)
		rc = NETRA_ENOMEM;
cleanup:
	free(payload);
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a;
	uint64_t y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The sequence numbers that name the segment files in dir, sorted. */
static int list_segments(const char *dir, uint64_t **out, size_t *n, char *err, size_t errsz)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	uint64_t *v = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL) {
		snprintf(err, errsz, "%s: cannot open the journal folder: %s", dir, strerror(errno));
		return NETRA_EIO;
	}
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		uint64_t first = 0;
		if (strlen(name) != NAME_DIGITS + 4 || strcmp(name + NAME_DIGITS, ".jnl") != 0)
			continue;
		if (strspn(name, "0123456789") != NAME_DIGITS)
			continue;
		for (int i = 0; i < NAME_DIGITS; i++)
			first = first * 10 + (uint64_t)(name[i] - '0');
		if (*n == cap) {
			uint64_t *p;
			cap = cap ? cap * 2 : 16;
			if (cap > MAX_SEGMENTS || (p = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				closedir(d);
				snprintf(err, errsz, "%s: too many segments or out of memory", dir);
				return NETRA_ENOMEM;
			}
			v = p;
		}
		v[(*n)++] = first;
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmp_u64);
	*out = v;
	return NETRA_OK;
}

int netra_journal_open(const char *dir, const struct netra_journal_options *opt,
		       struct netra_journal **out, char *err, size_t errsz)
{
	struct netra_journal *j = NULL;
	uint64_t *firsts = NULL;
	size_t nfirsts = 0;
	int rc;

	*out = NULL;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errsz, "%s: cannot create the journal folder: %s", dir, strerror(errno));
		return NETRA_EIO;
	}
	j = calloc(1, sizeof(*j));
	if (j != NULL)
		j->lock_fd = -1;
	if (j == NULL || (j->dir = netra_strdup(dir)) == NULL) {
		rc = NETRA_ENOMEM;
		snprintf(err, errsz, "out of memory");
		goto fail;
	}
	{
		char lock[4096];
		snprintf(lock, sizeof(lock), "%s/LOCK", dir);
		j->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (j->lock_fd < 0 || flock(j->lock_fd, LOCK_EX | LOCK_NB) != 0) {
			snprintf(err, errsz, "%s: the journal is in use by another process (%s)", dir,
				 strerror(errno));
			rc = NETRA_EIO;
			goto fail;
		}
	}
	if (opt != NULL)
		j->opt = *opt;
	else
		netra_journal_options_default(&j->opt);
	if (j->opt.max_record > UINT32_MAX)
		j->opt.max_record = UINT32_MAX;
	rc = list_segments(dir, &firsts, &nfirsts, err, errsz);
	if (rc != NETRA_OK)
		goto fail;
	for (size_t i = 0; i < nfirsts; i++) {
		struct segment *s = push_segment(j);
		if (s == NULL) {
			rc = NETRA_ENOMEM;
			snprintf(err, errsz, "out of memory");
			goto fail;
		}
		s->first = firsts[i];
		rc = scan_segment(j, s, i + 1 == nfirsts, err, errsz);
		if (rc != NETRA_OK)
			goto fail;
		if (i > 0 && s->first < j->segs[i - 1].next) {
			snprintf(err, errsz, "%s: segments %llu and %llu overlap", dir,
				 (unsigned long long)j->segs[i - 1].first,
				 (unsigned long long)s->first);
			rc = NETRA_EINVAL;
			goto fail;
		}
		j->bytes += s->size;
		j->unacked += s->next - s->first;
	}
	if (j->nsegs == 0) {
		rc = new_segment(j, 1);
		if (rc != NETRA_OK) {
			snprintf(err, errsz, "%s: cannot create a segment", dir);
			goto fail;
		}
	}
	j->read_seq = j->segs[0].first;
	j->read_off = 0;
	free(firsts);
	*out = j;
	return NETRA_OK;
fail:
	free(firsts);
	netra_journal_destroy(&j);
	return rc;
}

void netra_journal_destroy(struct netra_journal **jp)
{
	struct netra_journal *j;

	if (jp == NULL || *jp == NULL)
		return;
	j = *jp;
	if (j->unsynced > 0 && j->nsegs > 0 && j->segs[j->nsegs - 1].fd >= 0)
		fdatasync(j->segs[j->nsegs - 1].fd);
	for (size_t i = 0; i < j->nsegs; i++)
		seg_close(&j->segs[i]);
	free(j->segs);
	if (j->lock_fd >= 0)
		close(j->lock_fd);
	free(j->dir);
	free(j);
	*jp = NULL;
}

static struct segment *active(struct netra_journal *j)
{
	return &j->segs[j->nsegs - 1];
}

static int seg_fully_acked(const struct segment *s)
{
	return s->nacked == s->next - s->first;
}

/* Close the active segment (synced) and start a new one; the old one is
 * deleted if it is wholly acknowledged. */
static int rotate(struct netra_journal *j)
{
	struct segment *a = active(j);
	uint64_t next = a->next;
	int rc;

	if (fdatasync(a->fd) != 0) {
		netra_error("journal", j->dir, "fsync: %s", strerror(errno));
		return NETRA_EIO;
	}
	j->unsynced = 0;
	rc = new_segment(j, next);
	if (rc != NETRA_OK)
		return rc;
	if (seg_fully_acked(&j->segs[j->nsegs - 2]))
		remove_segment(j, j->nsegs - 2);
	return NETRA_OK;
}

int netra_journal_full(const struct netra_journal *j, size_t len)
{
	return j->bytes + HEADER_BYTES + (uint64_t)len > j->opt.quota_bytes;
}

int netra_journal_append(struct netra_journal *j, const void *data, size_t len, uint64_t *seq)
{
	unsigned char hdr[HEADER_BYTES];
	struct iovec iov[2];
	struct segment *a = active(j);
	uint64_t rec = HEADER_BYTES + (uint64_t)len;
	size_t done = 0;
	int rc;

	if (len > j->opt.max_record || rec > j->opt.quota_bytes)
		return NETRA_ETOOBIG;
	if (a->size > 0 && a->size + rec > j->opt.segment_bytes) {
		rc = rotate(j);
		if (rc != NETRA_OK)
			return rc;
		a = active(j);
	}
	if (j->bytes + rec > j->opt.quota_bytes) {
		/* The active segment may be wholly acknowledged yet kept: start
		 * another so that it can go. */
		if (a->size > 0 && seg_fully_acked(a)) {
			rc = rotate(j);
			if (rc != NETRA_OK)
				return rc;
			a = active(j);
		}
		if (j->bytes + rec > j->opt.quota_bytes)
			return NETRA_ERETRY;
	}
	rc = seg_reserve_bits(a, a->next);
	if (rc != NETRA_OK)
		return rc;
	put_u32(hdr, (uint32_t)len);
	put_u32(hdr + 4, record_crc(a->next, data, len));
	put_u64(hdr + 8, a->next);
	while (done < rec) {
		ssize_t w;
		if (done < HEADER_BYTES) {
			iov[0].iov_base = hdr + done;
			iov[0].iov_len = HEADER_BYTES - done;
			iov[1].iov_base = (void *)(uintptr_t)data;
			iov[1].iov_len = len;
			w = pwritev(a->fd, iov, 2, (off_t)(a->size + done));
		} else {
			w = pwrite(a->fd, (const char *)data + (done - HEADER_BYTES), (size_t)(rec - done),
				   (off_t)(a->size + done));
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			netra_error("journal", j->dir, "write: %s", strerror(errno));
			/* Leave no half record behind for the next append. */
			if (ftruncate(a->fd, (off_t)a->size) != 0)
				netra_error("journal", j->dir, "cannot cut a partial record: %s",
					    strerror(errno));
			return NETRA_EIO;
		}
		done += (size_t)w;
	}
	if (seq != NULL)
		*seq = a->next;
	a->next++;
	a->size += rec;
	j->bytes += rec;
	j->unacked++;
	j->unsynced++;
	if (j->opt.sync_every > 0 && j->unsynced >= j->opt.sync_every)
		return netra_journal_sync(j);
	return NETRA_OK;
}

int netra_journal_sync(struct netra_journal *j)
{
	if (j->unsynced == 0)
		return NETRA_OK;
	if (fdatasync(active(j)->fd) != 0) {
		netra_error("journal", j->dir, "fsync: %s", strerror(errno));
		return NETRA_EIO;
	}
	j->unsynced = 0;
	return NETRA_OK;
}

/* The index of the segment holding seq, or nsegs. */
static size_t find_segment(const struct netra_journal *j, uint64_t seq)
{
	size_t lo = 0;
	size_t hi = j->nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (j->segs[mid].next <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < j->nsegs && j->segs[lo].first <= seq && seq < j->segs[lo].next)
		return lo;
	return j->nsegs;
}

int netra_journal_read(struct netra_journal *j, uint64_t *seq, struct netra_buf *out)
{
	for (;;) {
		unsigned char hdr[HEADER_BYTES];
		size_t i = find_segment(j, j->read_seq);
		struct segment *s;
		uint32_t len;
		int r;

		if (i == j->nsegs) {
			/* Past a deleted segment, or at the end. */
			size_t k = 0;
			while (k < j->nsegs && j->segs[k].next <= j->read_seq)
				k++;
			if (k == j->nsegs)
				return NETRA_ENOTFOUND;
			while (k < j->nsegs && j->segs[k].first == j->segs[k].next)
				k++;
			if (k == j->nsegs)
				return NETRA_ENOTFOUND;
			if (j->read_seq != j->segs[k].first) {
				j->read_seq = j->segs[k].first;
				j->read_off = 0;
			}
			continue;
		}
		s = &j->segs[i];
		/* The offset is that of read_seq in its segment, except when
		 * read_seq opens a segment. */
		if (j->read_seq == s->first)
			j->read_off = 0;
		r = read_full(s->fd, hdr, sizeof(hdr), j->read_off);
		if (r <= 0)
			return NETRA_EIO;
		len = get_u32(hdr);
		if (get_u64(hdr + 8) != j->read_seq)
			return NETRA_EIO;
		if (seg_is_acked(s, j->read_seq)) {
			j->read_off += HEADER_BYTES + (uint64_t)len;
			j->read_seq++;
			continue;
		}
		netra_buf_reset(out);
		if (len > 0) {
			/* Grow the buffer to len bytes, then read straight into it. */
			if (out->max < len)
				return NETRA_ETOOBIG;
			while (out->len < len) {
				static const char zeros[4096];
				size_t n = len - out->len < sizeof(zeros) ? len - out->len : sizeof(zeros);
				int rc = netra_buf_add(out, zeros, n);
				if (rc != NETRA_OK)
					return rc;
			}
			r = read_full(s->fd, out->data, len, j->read_off + HEADER_BYTES);
			if (r <= 0)
				return NETRA_EIO;
		}
		*seq = j->read_seq;
		j->read_off += HEADER_BYTES + (uint64_t)len;
		j->read_seq++;
		return NETRA_OK;
	}
}

int netra_journal_ack(struct netra_journal *j, uint64_t seq)
{
	size_t i = find_segment(j, seq);
	struct segment *s;
	uint64_t k;

	if (i == j->nsegs)
		return NETRA_ENOTFOUND;
	s = &j->segs[i];
	if (seg_is_acked(s, seq))
		return NETRA_ENOTFOUND;
	if (seg_reserve_bits(s, seq) != NETRA_OK)
		return NETRA_ENOMEM;
	k = seq - s->first;
	s->acked[k / 8] = (uint8_t)(s->acked[k / 8] | (1u << (k % 8)));
	s->nacked++;
	j->unacked--;
	if (i + 1 < j->nsegs && seg_fully_acked(s)) {
		if (j->read_seq >= s->first && j->read_seq < s->next) {
			j->read_seq = s->next;
			j->read_off = 0;
		}
		remove_segment(j, i);
	}
	return NETRA_OK;
}

uint64_t netra_journal_unacked(const struct netra_journal *j)
{
	return j->unacked;
}

uint64_t netra_journal_unread(const struct netra_journal *j)
{
	uint64_t n = 0;

	for (size_t i = 0; i < j->nsegs; i++) {
		const struct segment *s = &j->segs[i];
		if (s->next <= j->read_seq)
			continue;
		n += s->next - (s->first > j->read_seq ? s->first : j->read_seq);
	}
	return n;
}

uint64_t netra_journal_bytes(const struct netra_journal *j)
{
	return j->bytes;
}

size_t netra_journal_nsegments(const struct netra_journal *j)
{
	return j->nsegs;
}
