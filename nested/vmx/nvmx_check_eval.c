/* nvmx_check_eval: runs the check table over a vmcs12 in the SDM's order; outcomes and log lines. */
#include "nested/vmx/nvmx_check_internal.h"

#include "lib/format.h"
#include "lib/string.h"

const struct nvmx_check *nvmx_check_find(const char *name)
{
	for (unsigned i = 0; i < nvmx_check_count; i++)
		if (!strcmp(nvmx_checks[i].name, name))
			return &nvmx_checks[i];
	return NULL;
}

struct nvmx_outcome nvmx_check_outcome(const struct nvmx_check *c, uint32_t msr_entry)
{
	struct nvmx_outcome o = { c->kind, c->code, c->qual };

	/* 26.8: a failed MSR load gives the element's number, counting from 1. */
	if (c->stage == NVMX_STAGE_MSR && c->kind == NVMX_ENTRY_EXIT)
		o.qual = msr_entry + 1;
	return o;
}

static void eval_init(struct nvmx_eval *e, const struct vmcs12 *v, const struct nvmx_env *env)
{
	memset(e, 0, sizeof(*e));
	e->v = v;
	e->env = env;
	e->caps = env->caps;
	e->pin = v->pin_controls;
	e->proc = v->proc_controls;
	/* 26.2.1.1: with "activate secondary controls" 0 they act as all 0. */
	e->proc2 = (v->proc_controls & PROC_SECONDARY) ? v->proc2_controls : 0;
	e->exit = v->exit_controls;
	e->entry = v->entry_controls;
}

/* 26.2 (controls and host state, errors 7 and 8) is one group: any order is allowed. */
static unsigned group(uint8_t stage)
{
	return stage == NVMX_STAGE_HOST ? NVMX_STAGE_CTL : stage;
}

static bool skip(const struct nvmx_check *c, enum nvmx_mode mode)
{
	return mode == NVMX_MODE_KVM && !c->kvm;
}

static void fail(struct nvmx_result *r, const struct nvmx_check *c, uint32_t msr_i)
{
	r->check = c;
	r->msr_entry = msr_i;
	r->out = nvmx_check_outcome(c, msr_i);
}

/*
 * The engine of both entry points: stops at the first failure when `fails` is NULL,
 * else collects every failure of the first failing group (a nestor safety failure
 * ends the collection: what follows would read memory that was not read).
 */
static unsigned run(const struct vmcs12 *v, const struct nvmx_env *env, enum nvmx_mode mode,
		    struct nvmx_result *r, const struct nvmx_check **fails, unsigned max)
{
	struct nvmx_eval e;
	unsigned n = 0, i = 0, failed_group = ~0u;

	eval_init(&e, v, env);
	memset(r, 0, sizeof(*r));
	r->out.kind = NVMX_ENTERED;
	for (; i < nvmx_check_count && nvmx_checks[i].stage != NVMX_STAGE_MSR; i++) {
		const struct nvmx_check *c = &nvmx_checks[i];

		if (n && group(c->stage) != failed_group)
			return n;
		if (skip(c, mode) || c->ok(&e, c->arg))
			continue;
		if (!n)
			fail(r, c, 0);
		if (fails && n < max)
			fails[n] = c;
		n++;
		failed_group = group(c->stage);
		if (!fails || c->kind == NVMX_NOT_RAM)
			return n;
	}
	if (n)
		return n;
	/* 26.4: the elements in order; the first element with a failing rule decides. The
	 * first MSR row is the count limit: past it nothing more is read. */
	for (e.msr_i = 0; e.msr_i < v->entry_msr_load_count; e.msr_i++) {
		for (unsigned j = i; j < nvmx_check_count; j++) {
			const struct nvmx_check *c = &nvmx_checks[j];

			if (skip(c, mode) || c->ok(&e, c->arg))
				continue;
			if (!n)
				fail(r, c, e.msr_i);
			if (fails && n < max)
				fails[n] = c;
			n++;
			if (!fails || c->kind == NVMX_NOT_RAM || j == i)
				return n;
		}
		if (n)
			return n;
	}
	return 0;
}

void nvmx_check_vmentry(const struct vmcs12 *v, const struct nvmx_env *env,
			enum nvmx_mode mode, struct nvmx_result *r)
{
	run(v, env, mode, r, NULL, 0);
}

unsigned nvmx_check_vmentry_all(const struct vmcs12 *v, const struct nvmx_env *env,
				enum nvmx_mode mode, struct nvmx_result *r,
				const struct nvmx_check **fails, unsigned max)
{
	unsigned n = run(v, env, mode, r, fails, max);
	return n < max ? n : max;
}
