/* nsvm_check_run: evaluating the check table in order, and the one log line of a failure. */
#include "lib/format.h"
#include "lib/string.h"
#include "nested/svm/nsvm_check.h"

struct nsvm_check_result nsvm_check_run(const struct nsvm_check_input *in, unsigned origins_mask)
{
	struct nsvm_check_result r = { NULL, false };
	for (size_t i = 0; i < nsvm_check_count; i++) {
		const struct nsvm_check *c = &nsvm_checks[i];
		if (!(origins_mask & (1u << c->origin)))
			continue;
		if (c->needs_vmcb && !in->vmcb) {
			r.needs_vmcb = true;
			return r;
		}
		if (c->fails(in)) {
			r.failed = c;
			return r;
		}
	}
	return r;
}

enum nsvm_outcome nsvm_check_outcome(const struct nsvm_check_input *in, unsigned origins_mask)
{
	struct nsvm_check_result r = nsvm_check_run(in, origins_mask);
	return r.failed ? r.failed->outcome : NSVM_RUN;
}

const struct nsvm_check *nsvm_check_find(const char *name)
{
	for (size_t i = 0; i < nsvm_check_count; i++)
		if (!strcmp(nsvm_checks[i].name, name))
			return &nsvm_checks[i];
	return NULL;
}

int nsvm_check_describe(char *buf, size_t size, const struct nsvm_check *c,
			const struct nsvm_check_input *in)
{
	int len = fmt_snprintf(buf, size, "%s (%s):", c->name, c->ref);
	for (unsigned i = 0; i < NSVM_CHECK_FIELDS && c->fields[i] != NSVM_F_END; i++) {
		size_t at = (size_t)len < size ? (size_t)len : size;
		len += fmt_snprintf(buf + at, size - at, " %s=%#llx", nsvm_field_name(c->fields[i]),
				    (unsigned long long)nsvm_field_value(c->fields[i], in));
	}
	size_t at = (size_t)len < size ? (size_t)len : size;
	len += fmt_snprintf(buf + at, size - at, " -> %s", nsvm_outcome_name(c->outcome));
	return len;
}

/*
 * VMLOAD, VMSAVE, STGI, CLGI and INVLPGA raise VMRUN's #UD and #GP(CPL) (APM Vol. 3, each
 * instruction's exceptions); VMLOAD and VMSAVE, which take a VMCB address in rAX, also its
 * alignment and width #GP and nestor's rule that the page is L1 RAM. So they run the
 * table's entries before the first one that reads the VMCB, the rAX ones only if used.
 */
const struct nsvm_check *nsvm_insn_check(const struct nsvm_check_input *in, bool vmcb_in_rax)
{
	for (size_t i = 0; i < nsvm_check_count; i++) {
		const struct nsvm_check *c = &nsvm_checks[i];
		if (c->needs_vmcb)
			break;
		if (!vmcb_in_rax && c->fields[0] == NSVM_F_RAX)
			continue;
		if (c->fails(in))
			return c;
	}
	return NULL;
}
