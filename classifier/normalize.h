/*
 * normalize.h - text normalisation for Netra rule matching.
 *
 * Before PCRE2 rules run, a post is normalised so that simple dodges do not
 * defeat the rules.  Every byte of the normalised text remembers which bytes
 * of the original text it came from, so a match found in normalised text can
 * be reported as a byte range of the original post.
 *
 * Normalisation, in order:
 *  1. UTF-8 repair: every byte that is not part of a well-formed UTF-8
 *     sequence (RFC 3629: no overlongs, no surrogates, nothing above
 *     U+10FFFF, no truncated sequences) becomes one U+FFFD.  An embedded NUL
 *     byte becomes a space, so the output never contains NUL.
 *  2. Per code point: ASCII is lowercased by table; everything else goes
 *     through utf8proc_decompose_char with COMPAT | CASEFOLD | STRIPMARK |
 *     DECOMPOSE | IGNORE (NFKC-like folding, case folding, accents removed).
 *     Hangul syllables are kept precomposed.
 *  3. Dropped: U+FE0E, U+FE0F, U+1F3FB..U+1F3FF, U+200B..U+200D, U+2060,
 *     U+FEFF, U+00AD, U+20E3 (keycap) and whatever utf8proc strips (marks,
 *     default ignorables).  A dropped code point's bytes are added to the
 *     source range of the code point before it when they are adjacent, so
 *     "2<FE0F><20E3>" becomes "2" mapped to all seven bytes.
 *  4. Dodges undone:
 *     a. a run of >= 4 single-character alphanumeric tokens, each separated
 *        by exactly one of ' ' '.' '-' '_' '*' and containing at least one
 *        letter, is joined ("c o b l o s" -> "coblos"); separators before
 *        and after the run are kept.
 *     b. a run of digits from {0,1,3,4,5,6,7,8,9} with a letter on both sides
 *        becomes letters (0o 1i 3e 4a 5s 6g 7t 8b 9g): "c0bl0s" -> "coblos";
 *        runs containing a 2, or not enclosed by letters, are unchanged.
 *     c. a run of >= 3 identical letters collapses to one ("pilihhhh" ->
 *        "pilih"); pairs, digits and punctuation are never collapsed.
 *  Whitespace is kept as it is (NBSP etc. become ' ' through compatibility
 *  decomposition); runs are not folded.
 *
 * Offsets are kept as uint32_t, so at most UINT32_MAX - 64 input bytes are used
 * per call; longer input is truncated like max_bytes.
 */
#ifndef NETRA_NORMALIZE_H
#define NETRA_NORMALIZE_H

#include <stddef.h>

struct netra_norm;

/*
 * Create a normaliser.  max_bytes: input bytes beyond this are ignored
 * (0 = no limit other than UINT32_MAX - 64).  The caller owns the result and
 * releases it with netra_norm_destroy.  Returns NULL on allocation failure.
 */
struct netra_norm *netra_norm_new(size_t max_bytes);

/*
 * Release a normaliser and set *n to NULL.  Accepts n == NULL and
 * *n == NULL.  Pointers returned by netra_norm_text become invalid.
 */
void netra_norm_destroy(struct netra_norm **n);

/*
 * Normalise in[0..len).  in may contain NUL bytes and invalid UTF-8; it may
 * be NULL only if len is 0.  The input is borrowed for the duration of the
 * call only.  Internal buffers are reused between calls, so no allocation
 * happens once they have grown to the size of typical input.  Returns 0, or
 * -1 on allocation failure, in which case the result is empty text.
 */
int netra_norm_run(struct netra_norm *n, const char *in, size_t len);

/*
 * netra_norm_run without its fast path (text with no Unicode work to do is
 * normalised a byte at a time; everything else, and this, takes the general
 * path). The result is the same, text and map: tests and the fuzz harness
 * compare the two.
 */
int netra_norm_run_general(struct netra_norm *n, const char *in, size_t len);

/*
 * The normalised text of the last run: NUL-terminated, valid UTF-8, no
 * embedded NUL.  Borrowed: valid until the next run or destroy.  Before the
 * first run it is "".  Never NULL.
 */
const char *netra_norm_text(const struct netra_norm *n);

/* Length in bytes of netra_norm_text (excluding the terminating NUL). */
size_t netra_norm_len(const struct netra_norm *n);

/*
 * 1 if the last input was cut at max_bytes (the cut is moved back so it
 * never splits a well-formed UTF-8 sequence), else 0.
 */
int netra_norm_truncated(const struct netra_norm *n);

/*
 * Number of input bytes actually used by the last run (len, or less when
 * truncated).  All mapped offsets are <= this value.
 */
size_t netra_norm_input_len(const struct netra_norm *n);

/*
 * Map the half-open normalised byte range [start,end) to the half-open
 * original byte range [*ostart,*oend).  Requires start < end <= len
 * (asserted).  *ostart is the start of the source of the first normalised
 * byte, *oend the end of the source of the last one; *ostart < *oend.
 * Both maps are non-decreasing over the normalised text.
 */
void netra_norm_map(const struct netra_norm *n, size_t start, size_t end,
                    size_t *ostart, size_t *oend);

/*
 * Normalise a whole string (e.g. a candidate name from an election file)
 * into a new malloc'd NUL-terminated string, without length limit.  The
 * caller frees the result with free().  in may be NULL only if len is 0.
 * Returns NULL on allocation failure.
 */
char *netra_norm_string(const char *in, size_t len);

#endif /* NETRA_NORMALIZE_H */
