/* caps: the CPU capabilities nestor cares about, decoded from raw CPUID and MSR values. */
#include "arch/x86/caps.h"

#include <stddef.h>

#include "lib/log.h"
#include "lib/string.h"

#define BIT(n) (1ull << (n))

/* CPUID.1:ECX[5] VMX; CPUID.80000001h:ECX[2] SVM (SDM Vol. 2A CPUID; APM Vol. 3 E.4.2) */
#define CPUID1_ECX_VMX BIT(5)
#define CPUIDX1_ECX_SVM BIT(2)

/* Processor-based controls, allowed-1 half (SDM Vol. 3C 25.6.2, Table 25-6/25-7). */
#define PROC_TPR_SHADOW BIT(21)
#define PROC_SECONDARY BIT(31)
#define PROC2_VIRT_APIC_ACCESSES BIT(0)
#define PROC2_EPT BIT(1)
#define PROC2_VPID BIT(5)
#define PROC2_UNRESTRICTED BIT(7)
#define PROC2_APIC_REG_VIRT BIT(8)
#define PROC2_VID BIT(9)
#define PROC2_VMCS_SHADOWING BIT(14)
#define PIN_POSTED_INTR BIT(7)

/* IA32_VMX_EPT_VPID_CAP (SDM Vol. 3D A.10). */
#define EPT_4LEVEL BIT(6)
#define EPT_WB BIT(14)
#define EPT_2M BIT(16)
#define EPT_1G BIT(17)
#define EPT_INVEPT BIT(20)
#define EPT_AD BIT(21)
#define VPID_INVVPID BIT(32)

/* CPUID.8000000Ah:EDX (APM Vol. 3, E.4.9). */
#define SVM_NPT BIT(0)
#define SVM_NRIPS BIT(3)
#define SVM_VMCB_CLEAN BIT(5)
#define SVM_FLUSH_BY_ASID BIT(6)
#define SVM_DECODE_ASSISTS BIT(7)
#define SVM_PAUSE_FILTER BIT(10)
#define SVM_AVIC BIT(13)
#define SVM_VGIF BIT(16)
#define SVM_X2AVIC BIT(18)
#define SVM_VNMI BIT(25)

#define VM_CR_SVMDIS BIT(4)
#define FEATURE_CONTROL_LOCK BIT(0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX BIT(2)

static uint32_t allowed1(uint64_t ctl_msr)
{
	return (uint32_t)(ctl_msr >> 32);
}

bool caps_want_vmx_msrs(const struct cpu_raw *raw)
{
	return raw->max_leaf >= 1 && (raw->leaf1_ecx & CPUID1_ECX_VMX);
}

bool caps_want_procbased2(const struct cpu_raw *raw)
{
	return caps_want_vmx_msrs(raw) && (allowed1(raw->vmx_procbased) & PROC_SECONDARY);
}

bool caps_want_ept_vpid(const struct cpu_raw *raw)
{
	return caps_want_procbased2(raw) &&
	       (allowed1(raw->vmx_procbased2) & (PROC2_EPT | PROC2_VPID));
}

bool caps_want_svm_leaf(const struct cpu_raw *raw)
{
	return raw->max_ext_leaf >= 0x8000000a && (raw->ext1_ecx & CPUIDX1_ECX_SVM);
}

static void caps_decode_identity(const struct cpu_raw *raw, struct cpu_caps *caps)
{
	memcpy(caps->vendor_name, raw->vendor, 12);
	caps->vendor_name[12] = 0;
	if (!memcmp(caps->vendor_name, "GenuineIntel", 12))
		caps->vendor = VENDOR_INTEL;
	else if (!memcmp(caps->vendor_name, "AuthenticAMD", 12))
		caps->vendor = VENDOR_AMD;
	else
		caps->vendor = VENDOR_OTHER;

	/* SDM Vol. 2A, CPUID.1:EAX: extended family/model apply for family 0xF (and 6). */
	unsigned family = (raw->leaf1_eax >> 8) & 0xf;
	unsigned model = (raw->leaf1_eax >> 4) & 0xf;
	if (family == 0xf)
		family += (raw->leaf1_eax >> 20) & 0xff;
	if (family == 0x6 || family >= 0xf)
		model |= ((raw->leaf1_eax >> 16) & 0xf) << 4;
	caps->family = family;
	caps->model = model;
	caps->stepping = raw->leaf1_eax & 0xf;
}

static void caps_decode_vmx(const struct cpu_raw *raw, struct vmx_caps *v)
{
	if (!caps_want_vmx_msrs(raw))
		return;
	v->present = true;
	v->vmcs_revision = (uint32_t)(raw->vmx_basic & 0x7fffffff);
	v->true_ctls = raw->vmx_basic & BIT(55);
	uint32_t proc = allowed1(raw->vmx_procbased);
	v->tpr_shadow = proc & PROC_TPR_SHADOW;
	v->secondary_ctls = proc & PROC_SECONDARY;
	v->posted_intr = allowed1(raw->vmx_pinbased) & PIN_POSTED_INTR;
	if (v->secondary_ctls) {
		uint32_t p2 = allowed1(raw->vmx_procbased2);
		v->virt_apic_accesses = p2 & PROC2_VIRT_APIC_ACCESSES;
		v->ept = p2 & PROC2_EPT;
		v->vpid = p2 & PROC2_VPID;
		v->unrestricted_guest = p2 & PROC2_UNRESTRICTED;
		v->apic_reg_virt = p2 & PROC2_APIC_REG_VIRT;
		v->virt_intr_delivery = p2 & PROC2_VID;
		v->vmcs_shadowing = p2 & PROC2_VMCS_SHADOWING;
	}
	if (v->ept || v->vpid) {
		uint64_t c = raw->vmx_ept_vpid;
		v->ept_4level = v->ept && (c & EPT_4LEVEL);
		v->ept_wb = v->ept && (c & EPT_WB);
		v->ept_2m = v->ept && (c & EPT_2M);
		v->ept_1g = v->ept && (c & EPT_1G);
		v->ept_ad = v->ept && (c & EPT_AD);
		v->invept = v->ept && (c & EPT_INVEPT);
		v->invvpid = v->vpid && (c & VPID_INVVPID);
	}
	v->locked_off = (raw->feature_control & FEATURE_CONTROL_LOCK) &&
			!(raw->feature_control & FEATURE_CONTROL_VMX_OUTSIDE_SMX);
}

static void caps_decode_svm(const struct cpu_raw *raw, struct svm_caps *s)
{
	if (!caps_want_svm_leaf(raw))
		return;
	uint32_t d = raw->svm_edx;
	s->present = true;
	s->revision = raw->svm_eax & 0xff;
	s->nasid = raw->svm_ebx;
	s->npt = d & SVM_NPT;
	s->nrips = d & SVM_NRIPS;
	s->vmcb_clean = d & SVM_VMCB_CLEAN;
	s->flush_by_asid = d & SVM_FLUSH_BY_ASID;
	s->decode_assists = d & SVM_DECODE_ASSISTS;
	s->pause_filter = d & SVM_PAUSE_FILTER;
	s->avic = d & SVM_AVIC;
	s->x2avic = d & SVM_X2AVIC;
	s->vgif = d & SVM_VGIF;
	s->vnmi = d & SVM_VNMI;
	s->disabled_by_bios = raw->vm_cr & VM_CR_SVMDIS;
}

void caps_decode(const struct cpu_raw *raw, struct cpu_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps_decode_identity(raw, caps);
	caps_decode_vmx(raw, &caps->vmx);
	caps_decode_svm(raw, &caps->svm);
}

struct caps_row {
	const char *ext;
	const char *feature;
	size_t offset;		/* of a bool in struct cpu_caps */
	const char *source;	/* where the bit comes from, for the reader of the log */
};

#define VMX_ROW(name, field, src) { "vmx", name, offsetof(struct cpu_caps, vmx.field), src }
#define SVM_ROW(name, field, src) { "svm", name, offsetof(struct cpu_caps, svm.field), src }

static const struct caps_row caps_rows[] = {
	VMX_ROW("present", present, "CPUID.1:ECX[5]"),
	VMX_ROW("tpr-shadow", tpr_shadow, "PROCBASED_CTLS[53]"),
	VMX_ROW("virtualize-apic-accesses", virt_apic_accesses, "PROCBASED_CTLS2[32]"),
	VMX_ROW("apic-register-virtualization", apic_reg_virt, "PROCBASED_CTLS2[40]"),
	VMX_ROW("virtual-interrupt-delivery", virt_intr_delivery, "PROCBASED_CTLS2[41]"),
	VMX_ROW("posted-interrupts", posted_intr, "PINBASED_CTLS[39]"),
	VMX_ROW("vmcs-shadowing", vmcs_shadowing, "PROCBASED_CTLS2[46]"),
	VMX_ROW("ept", ept, "PROCBASED_CTLS2[33]"),
	VMX_ROW("ept-4-level", ept_4level, "EPT_VPID_CAP[6]"),
	VMX_ROW("ept-2m-pages", ept_2m, "EPT_VPID_CAP[16]"),
	VMX_ROW("ept-1g-pages", ept_1g, "EPT_VPID_CAP[17]"),
	VMX_ROW("ept-accessed-dirty", ept_ad, "EPT_VPID_CAP[21]"),
	VMX_ROW("invept", invept, "EPT_VPID_CAP[20]"),
	VMX_ROW("vpid", vpid, "PROCBASED_CTLS2[37]"),
	VMX_ROW("invvpid", invvpid, "EPT_VPID_CAP[32]"),
	VMX_ROW("unrestricted-guest", unrestricted_guest, "PROCBASED_CTLS2[39]"),
	VMX_ROW("locked-off-by-firmware", locked_off, "FEATURE_CONTROL[0,2]"),
	SVM_ROW("present", present, "CPUID.80000001:ECX[2]"),
	SVM_ROW("npt", npt, "CPUID.8000000A:EDX[0]"),
	SVM_ROW("nrips", nrips, "CPUID.8000000A:EDX[3]"),
	SVM_ROW("vmcb-clean", vmcb_clean, "CPUID.8000000A:EDX[5]"),
	SVM_ROW("flush-by-asid", flush_by_asid, "CPUID.8000000A:EDX[6]"),
	SVM_ROW("decode-assists", decode_assists, "CPUID.8000000A:EDX[7]"),
	SVM_ROW("pause-filter", pause_filter, "CPUID.8000000A:EDX[10]"),
	SVM_ROW("avic", avic, "CPUID.8000000A:EDX[13]"),
	SVM_ROW("x2avic", x2avic, "CPUID.8000000A:EDX[18]"),
	SVM_ROW("vgif", vgif, "CPUID.8000000A:EDX[16]"),
	SVM_ROW("vnmi", vnmi, "CPUID.8000000A:EDX[25]"),
	SVM_ROW("disabled-by-firmware", disabled_by_bios, "VM_CR[4]"),
};

void caps_log_table(const struct cpu_caps *caps)
{
	log_info("cpu: %s family %#x model %#x stepping %u", caps->vendor_name, caps->family,
		 caps->model, caps->stepping);
	log_info("caps | %-3s | %-28s | %-3s | %s", "ext", "feature", "has", "source");
	for (size_t i = 0; i < sizeof(caps_rows) / sizeof(caps_rows[0]); i++) {
		const struct caps_row *r = &caps_rows[i];
		bool has = *(const bool *)((const char *)caps + r->offset);
		log_info("caps | %-3s | %-28s | %-3s | %s", r->ext, r->feature, has ? "yes" : "no",
			 r->source);
	}
	if (caps->vmx.present)
		log_info("caps | vmx: VMCS revision %#x, TRUE controls %s", caps->vmx.vmcs_revision,
			 caps->vmx.true_ctls ? "yes" : "no");
	if (caps->svm.present)
		log_info("caps | svm: revision %u, %u ASIDs", caps->svm.revision, caps->svm.nasid);
}

void caps_log_raw(const struct cpu_raw *raw)
{
	log_info("cpu raw: leaves %#x/%#x 1.eax=%#x 1.ecx=%#x 80000001.ecx=%#x 8000000a.edx=%#x",
		 raw->max_leaf, raw->max_ext_leaf, raw->leaf1_eax, raw->leaf1_ecx, raw->ext1_ecx,
		 raw->svm_edx);
	if (caps_want_vmx_msrs(raw))
		log_info("cpu raw: vmx basic=%#llx pin=%#llx proc=%#llx proc2=%#llx ept_vpid=%#llx "
			 "fc=%#llx",
			 (unsigned long long)raw->vmx_basic, (unsigned long long)raw->vmx_pinbased,
			 (unsigned long long)raw->vmx_procbased,
			 (unsigned long long)raw->vmx_procbased2,
			 (unsigned long long)raw->vmx_ept_vpid,
			 (unsigned long long)raw->feature_control);
}
