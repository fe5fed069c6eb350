/* diff: nestor's decoder compared with Capstone (and optionally Zydis), one instruction at a time. */
#include "tests/unit/decode/diff.h"

#include <capstone/capstone.h>
#include <stdlib.h>
#include <string.h>

#ifdef DIFF_WITH_ZYDIS
#include <Zydis/Zydis.h>
#endif

struct diff_ctx {
	unsigned flags;
	csh cs[3];
	cs_insn *cs_insn[3];
	bool with_zydis;
#ifdef DIFF_WITH_ZYDIS
	ZydisDecoder zydis[3];
#endif
	FILE *report;
	bool report_all; /* report agreements too (probe mode) */
	unsigned report_limit;
	unsigned reported;
	unsigned zydis_rejects_shown;
	unsigned ud_shown; /* #UD verdicts other than UD2 shown */
	struct diff_stats stats;
};

static int mode_index(enum diff_mode mode)
{
	return mode == DIFF_MODE_16 ? 0 : mode == DIFF_MODE_32 ? 1 : 2;
}

struct diff_ctx *diff_open(unsigned flags, bool with_zydis, FILE *report, unsigned report_limit)
{
	static const cs_mode cs_modes[3] = { CS_MODE_16, CS_MODE_32, CS_MODE_64 };
	struct diff_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->flags = flags;
	ctx->report = report;
	ctx->report_limit = report_limit;
	for (int i = 0; i < 3; i++) {
		if (cs_open(CS_ARCH_X86, cs_modes[i], &ctx->cs[i]) != CS_ERR_OK) {
			free(ctx);
			return NULL;
		}
		ctx->cs_insn[i] = cs_malloc(ctx->cs[i]);
	}
#ifdef DIFF_WITH_ZYDIS
	static const ZydisMachineMode zy_modes[3] = { ZYDIS_MACHINE_MODE_LEGACY_16,
						       ZYDIS_MACHINE_MODE_LEGACY_32,
						       ZYDIS_MACHINE_MODE_LONG_64 };
	static const ZydisStackWidth zy_widths[3] = { ZYDIS_STACK_WIDTH_16, ZYDIS_STACK_WIDTH_32,
						      ZYDIS_STACK_WIDTH_64 };
	ctx->with_zydis = with_zydis;
	for (int i = 0; i < 3 && with_zydis; i++) {
		ZydisDecoderInit(&ctx->zydis[i], zy_modes[i], zy_widths[i]);
		ZydisDecoderEnableMode(&ctx->zydis[i], ZYDIS_DECODER_MODE_AMD_BRANCHES,
				       (flags & DIFF_DECODE_AMD) != 0);
	}
#else
	(void)with_zydis;
#endif
	return ctx;
}

void diff_close(struct diff_ctx *ctx)
{
	for (int i = 0; i < 3; i++) {
		cs_free(ctx->cs_insn[i], 1);
		cs_close(&ctx->cs[i]);
	}
	free(ctx);
}

void diff_report_all(struct diff_ctx *ctx)
{
	ctx->report_all = true;
	ctx->report_limit = ~0u;
}

struct diff_stats *diff_stats(struct diff_ctx *ctx)
{
	return &ctx->stats;
}

static void print_hex(FILE *out, const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? " " : "", bytes[i]);
}

static void report(struct diff_ctx *ctx, const char *what, enum diff_mode mode,
		   const uint8_t *bytes, size_t n, const cs_insn *ci,
		   const struct diff_nestor_result *ni, int zydis_len)
{
	if (!ctx->report || ctx->reported >= ctx->report_limit)
		return;
	ctx->reported++;
	fprintf(ctx->report, "%s mode%d bytes[", what, mode * 8);
	print_hex(ctx->report, bytes, n < 15 ? n : 15);
	fprintf(ctx->report, "] capstone=%d", ci ? (int)ci->size : 0);
	if (ci)
		fprintf(ctx->report, " (%s %s)", ci->mnemonic, ci->op_str);
	fprintf(ctx->report, " nestor=%u/%s zydis=%d\n", ni->len, ni->status_name, zydis_len);
}

/* Zydis's length, 0 when it rejects the bytes or is not in use. */
static int zydis_length(struct diff_ctx *ctx, enum diff_mode mode, const uint8_t *bytes, size_t n)
{
#ifdef DIFF_WITH_ZYDIS
	ZydisDecodedInstruction zi;

	if (!ctx->with_zydis)
		return 0;
	if (ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&ctx->zydis[mode_index(mode)], NULL, bytes,
						       n, &zi)))
		return zi.length;
#else
	(void)ctx;
	(void)mode;
	(void)bytes;
	(void)n;
#endif
	return 0;
}

static void zydis_compare(struct diff_ctx *ctx, int zlen, bool nestor_ok, unsigned nlen,
			  bool *mismatch)
{
	*mismatch = false;
	if (!ctx->with_zydis || zlen == 0)
		return;
	ctx->stats.zydis_decoded++;
	if ((unsigned)zlen == nlen && nlen != 0) {
		ctx->stats.zydis_agree++;
	} else if (nestor_ok) {
		ctx->stats.zydis_mismatch++;
		*mismatch = true;
	} else {
		ctx->stats.zydis_nestor_rejects++;
	}
}

enum diff_verdict diff_one(struct diff_ctx *ctx, enum diff_mode mode, const uint8_t *bytes,
			   size_t n, size_t *advance)
{
	int mi = mode_index(mode);
	const uint8_t *code = bytes;
	size_t code_size = n < 15 ? n : 15;
	uint64_t address = 0x1000;
	cs_insn *ci = ctx->cs_insn[mi];
	struct diff_nestor_result ni = diff_nestor_decode(bytes, code_size, mode, ctx->flags);
	bool cs_ok = cs_disasm_iter(ctx->cs[mi], &code, &code_size, &address, ci);
	int zlen = zydis_length(ctx, mode, bytes, n < 15 ? n : 15);
	bool zmis;

	ctx->stats.inputs++;
	if (ctx->report_all)
		report(ctx, "probe", mode, bytes, n, cs_ok ? ci : NULL, &ni, zlen);
	zydis_compare(ctx, zlen, ni.ok, ni.len, &zmis);
	if (zmis)
		report(ctx, "ZYDIS-MISMATCH", mode, bytes, n, cs_ok ? ci : NULL, &ni, zlen);
	else if (zlen && ni.len != (unsigned)zlen && ctx->zydis_rejects_shown < 10) {
		ctx->zydis_rejects_shown++;
		report(ctx, "nestor-rejects-zydis-decodes", mode, bytes, n, cs_ok ? ci : NULL, &ni,
		       zlen);
	}
	*advance = cs_ok ? ci->size : (ni.ok ? ni.len : 1);
	if (!cs_ok) {
		if (ni.ok) {
			ctx->stats.nestor_only++;
			return DIFF_NESTOR_ONLY;
		}
		ctx->stats.both_reject++;
		return DIFF_BOTH_REJECT;
	}
	ctx->stats.capstone_decoded++;
	if (ni.len == ci->size && (ni.ok || ni.invalid)) {
		if (ni.ok) {
			ctx->stats.agree++;
			return DIFF_AGREE;
		}
		ctx->stats.agree_ud++;
		if (ctx->ud_shown < 5 && (ci->size != 2 || ci->bytes[0] != 0x0f || ci->bytes[1] != 0x0b)) {
			ctx->ud_shown++;
			report(ctx, "nestor-ud", mode, bytes, n, ci, &ni, zlen);
		}
		return DIFF_AGREE_UD;
	}
	const struct diff_allow *allow = diff_allow_find(mode, ctx->flags, ci->bytes, ci->size);
	if (allow) {
		size_t index = (size_t)(allow - diff_allowlist);
		ctx->stats.allowed++;
		if (index < sizeof(ctx->stats.allowed_by) / sizeof(ctx->stats.allowed_by[0]))
			ctx->stats.allowed_by[index]++;
		return DIFF_ALLOWED;
	}
	ctx->stats.mismatch++;
	report(ctx, "MISMATCH", mode, bytes, n, ci, &ni, zlen);
	return DIFF_MISMATCH;
}

size_t diff_capstone_length(struct diff_ctx *ctx, enum diff_mode mode, const uint8_t *bytes,
			    size_t n)
{
	int mi = mode_index(mode);
	const uint8_t *code = bytes;
	size_t size = n < 15 ? n : 15;
	uint64_t address = 0x1000;

	if (!cs_disasm_iter(ctx->cs[mi], &code, &size, &address, ctx->cs_insn[mi]))
		return 0;
	return ctx->cs_insn[mi]->size;
}

void diff_region(struct diff_ctx *ctx, enum diff_mode mode, const uint8_t *code, size_t size)
{
	size_t pos = 0;

	while (pos < size) {
		size_t step;
		diff_one(ctx, mode, code + pos, size - pos, &step);
		pos += step ? step : 1;
	}
}

void diff_print_stats(FILE *out, const char *title, const struct diff_stats *s)
{
	fprintf(out,
		"%s: inputs %llu, Capstone decoded %llu: same length %llu (+%llu where nestor "
		"says #UD), allowlisted %llu, MISMATCHES %llu; nestor-only %llu, both reject %llu\n",
		title, (unsigned long long)s->inputs, (unsigned long long)s->capstone_decoded,
		(unsigned long long)s->agree, (unsigned long long)s->agree_ud,
		(unsigned long long)s->allowed, (unsigned long long)s->mismatch,
		(unsigned long long)s->nestor_only, (unsigned long long)s->both_reject);
	for (size_t i = 0; i < diff_allowlist_len && i < 32; i++)
		if (s->allowed_by[i])
			fprintf(out, "%s:   allowlisted as %s: %llu\n", title, diff_allowlist[i].name,
				(unsigned long long)s->allowed_by[i]);
	if (s->zydis_decoded)
		fprintf(out,
			"%s: Zydis decoded %llu: same length %llu, MISMATCHES where nestor decodes "
			"%llu, nestor rejects %llu\n",
			title, (unsigned long long)s->zydis_decoded,
			(unsigned long long)s->zydis_agree, (unsigned long long)s->zydis_mismatch,
			(unsigned long long)s->zydis_nestor_rejects);
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t diff_parse_hex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;

	for (const char *p = hex; p[0] && p[1] && n < max; p++) {
		if (hex_nibble(p[0]) < 0 || hex_nibble(p[1]) < 0)
			continue;
		out[n++] = (uint8_t)(hex_nibble(p[0]) << 4 | hex_nibble(p[1]));
		p++;
	}
	return n;
}

void diff_view_init(struct diff_view *v, enum diff_mode mode, const uint8_t *bytes, size_t len)
{
	size_t i = 0;

	memset(v, 0, sizeof(*v));
	v->mode = mode;
	v->bytes = bytes;
	v->len = len;
	for (; i < len; i++) {
		uint8_t b = bytes[i];
		if (mode == DIFF_MODE_64 && b >= 0x40 && b <= 0x4f) {
			v->rex = b;
			continue;
		}
		if (b == 0x66)
			v->p66 = true;
		else if (b == 0x67)
			v->p67 = true;
		else if (b == 0xf2 || b == 0xf3) {
			*(b == 0xf2 ? &v->pf2 : &v->pf3) = true;
			v->p66_before_rep |= v->p66;
		} else if (b != 0x26 && b != 0x2e && b != 0x36 && b != 0x3e && b != 0x64 &&
			   b != 0x65 && b != 0xf0)
			break;
		v->rex = 0; /* a legacy prefix after REX cancels it */
	}
	v->op = bytes + i;
	v->op_len = len - i;
}

static bool example_is(const struct diff_allow *a, const uint8_t *bytes, size_t len)
{
	uint8_t example[16];
	size_t n = diff_parse_hex(a->example, example, sizeof(example));

	return n == len && memcmp(example, bytes, len) == 0;
}

const struct diff_allow *diff_allow_find(enum diff_mode mode, unsigned decode_flags,
					 const uint8_t *bytes, size_t len)
{
	unsigned flavour = (decode_flags & DIFF_DECODE_AMD) ? DIFF_AMD : DIFF_INTEL;
	struct diff_view v;

	diff_view_init(&v, mode, bytes, len);
	for (size_t i = 0; i < diff_allowlist_len; i++) {
		const struct diff_allow *a = &diff_allowlist[i];
		if (!(a->modes & (1u << mode)) || !(a->flavour & flavour))
			continue;
		if (a->matches ? a->matches(&v) : example_is(a, bytes, len))
			return a;
	}
	return NULL;
}
