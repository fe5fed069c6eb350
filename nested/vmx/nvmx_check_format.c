/* nvmx_check_format: outcomes and the one log line of a failed check, values included. */
#include "nested/vmx/nvmx_check_internal.h"

#include "lib/format.h"
#include "lib/string.h"

void nvmx_outcome_format(const struct nvmx_outcome *o, char *buf, size_t len)
{
	switch (o->kind) {
	case NVMX_ENTERED:
		fmt_snprintf(buf, len, "entered");
		break;
	case NVMX_VMFAIL_VALID:
		fmt_snprintf(buf, len, "VMfailValid(%u)", o->code);
		break;
	case NVMX_ENTRY_EXIT:
		fmt_snprintf(buf, len, "exit %u qual %u", o->code, (unsigned)o->qual);
		break;
	default:
		fmt_snprintf(buf, len, "not-L1-RAM");
		break;
	}
}

/* The capability MSR that goes with the field shown before it. */
static bool cap_for(const struct nvmx_caps *c, uint16_t field, const char **name, uint64_t *v)
{
	const struct vmx_cap_msrs *m = &c->msrs;
	bool t = m->basic & VMX_BASIC_TRUE_CTLS;

	switch (field) {
	case VMCS_PIN_CONTROLS: *name = "pin_cap"; *v = t ? m->true_pin : m->pin; return true;
	case VMCS_PROC_CONTROLS: case VMCS_ENTRY_INTR_INFO:
		*name = "proc_cap"; *v = t ? m->true_proc : m->proc; return true;
	case VMCS_PROC2_CONTROLS: *name = "proc2_cap"; *v = m->proc2; return true;
	case VMCS_EXIT_CONTROLS: *name = "exit_cap"; *v = t ? m->true_exit : m->exit; return true;
	case VMCS_ENTRY_CONTROLS: *name = "entry_cap"; *v = t ? m->true_entry : m->entry; return true;
	case VMCS_EPT_POINTER: *name = "ept_vpid_cap"; *v = m->ept_vpid; return true;
	case VMCS_VMFUNC_CONTROLS: *name = "vmfunc_cap"; *v = m->vmfunc; return true;
	case VMCS_GUEST_CR0: case VMCS_HOST_CR0: *name = "cr0_fixed0"; *v = m->cr0_fixed0; return true;
	case VMCS_GUEST_CR4: case VMCS_HOST_CR4: *name = "cr4_fixed0"; *v = m->cr4_fixed0; return true;
	case VMCS_LINK_POINTER: case NVMX_SHOW_LINK_REV: *name = "basic"; *v = m->basic; return true;
	default: *name = "misc"; *v = m->misc; return true;
	}
}

struct out {
	char *buf;
	size_t len, at;
};

static void put(struct out *o, const char *name, uint64_t v)
{
	if (o->at < o->len)
		o->at += fmt_snprintf(o->buf + o->at, o->len - o->at, " %s=%#llx", name,
				      (unsigned long long)v);
}

static const char *const seg_names[8] = { "es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr" };

static void show_one(struct out *o, const struct nvmx_result *r, const struct vmcs12 *v,
		     const struct nvmx_env *env, uint16_t code, uint16_t prev)
{
	const struct nvmx_check *c = r->check;
	char name[24];
	int s = c->arg & 7;

	switch (code) {
	case NVMX_SHOW_SEG_SEL:
		fmt_snprintf(name, sizeof(name), "guest_%s_sel", seg_names[s]);
		put(o, name, nvmx_seg_sel(v, s));
		return;
	case NVMX_SHOW_SEG_BASE:
		fmt_snprintf(name, sizeof(name), "guest_%s_base", seg_names[s]);
		put(o, name, nvmx_seg_base(v, s));
		return;
	case NVMX_SHOW_SEG_LIMIT:
		fmt_snprintf(name, sizeof(name), "guest_%s_limit", seg_names[s]);
		put(o, name, nvmx_seg_limit(v, s));
		return;
	case NVMX_SHOW_SEG_AR:
		fmt_snprintf(name, sizeof(name), "guest_%s_ar", seg_names[s]);
		put(o, name, nvmx_seg_ar(v, s));
		return;
	case NVMX_SHOW_VTPR: {
		uint8_t x = 0;
		if (env->read(env->ctx, v->virtual_apic_page + 0x80, &x, 1))
			put(o, "VTPR", x);
		return;
	}
	case NVMX_SHOW_LINK_REV: {
		uint32_t x = 0;
		if (env->read(env->ctx, v->link_pointer, &x, 4))
			put(o, "link_revision", x);
		return;
	}
	case NVMX_SHOW_PDPTES: {
		uint64_t p[4];
		if (env->read(env->ctx, v->guest_cr3 & 0xffffffe0ull, p, 32))
			for (int i = 0; i < 4; i++) {
				fmt_snprintf(name, sizeof(name), "PDPTE%d", i);
				put(o, name, p[i]);
			}
		return;
	}
	case NVMX_SHOW_MSR_ENTRY: {
		struct nvmx_msr_entry m;
		put(o, "element", r->msr_entry + 1);
		if (env->read(env->ctx, v->entry_msr_load_addr + (uint64_t)r->msr_entry * 16, &m,
			      sizeof(m))) {
			put(o, "msr", m.index);
			put(o, "reserved", m.reserved);
			put(o, "value", m.value);
		}
		return;
	}
	case NVMX_SHOW_CAP: {
		const char *n;
		uint64_t x;
		if (cap_for(env->caps, prev, &n, &x))
			put(o, n, x);
		return;
	}
	case NVMX_SHOW_MAXPHYADDR:
		put(o, "maxphyaddr", env->caps->maxphyaddr);
		return;
	case NVMX_SHOW_L1_LMA:
		put(o, "l1_efer_lma", env->l1_lma);
		return;
	default: {
		const struct vmcs12_field *f = vmcs12_field_find(code);
		if (f)
			put(o, f->name, vmcs12_get(v, f));
	}
	}
}

void nvmx_result_format(const struct nvmx_result *r, const struct vmcs12 *v,
			const struct nvmx_env *env, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	char outcome[32];
	uint16_t prev = 0;

	if (!len)
		return;
	buf[0] = 0;
	if (!r->check) {
		fmt_snprintf(buf, len, "all VM-entry checks passed");
		return;
	}
	o.at = fmt_snprintf(buf, len, "%s (SDM %s):", r->check->name, r->check->section);
	for (int i = 0; i < 5 && r->check->show[i]; i++) {
		show_one(&o, r, v, env, r->check->show[i], prev);
		prev = r->check->show[i];
	}
	nvmx_outcome_format(&r->out, outcome, sizeof(outcome));
	if (o.at < len)
		fmt_snprintf(buf + o.at, len - o.at, " -> %s", outcome);
}
