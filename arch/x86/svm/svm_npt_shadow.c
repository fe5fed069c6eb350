/* svm_npt_shadow: nestor's shadow of L1's nested page table, composed with nestor's own, built at faults. */
#include "arch/x86/pagetable.h"
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "vm/vm.h"

/*
 * vmcb02's nCR3 when L1 uses nested paging: L2-physical -> host-physical in one table,
 * whose leaves are L1's translation (L2 -> L1-physical, walked in L1's RAM by
 * nsvm_npt_walk) followed by nestor's (L1-physical -> host: L1's RAM is one block at
 * vm->mem.hva, identity-mapped). Entries are made at nested page faults, with L1's rights
 * (write only once L1's leaf is dirty, so that a first write faults and sets D as the
 * processor would); the whole table is dropped when L1 flushes (svm_nested_vmrun.c) and
 * when it grows past its budget.
 */
#define SHADOW_MAX_PAGES 2048
#define SIZE_2M (2ull << 20)
#define E_TABLE 0x7ull		/* P | RW | US: nested walks are user accesses */
#define E_P 1ull
#define E_RW 2ull
#define E_US 4ull
#define E_PS (1ull << 7)
#define E_NX (1ull << 63)

static uint64_t *table_of(uint64_t e)
{
	return (uint64_t *)(uintptr_t)(e & PT_ADDR_MASK);
}

static void free_tables(uint64_t table, unsigned level, unsigned *pages)
{
	uint64_t *t = (uint64_t *)(uintptr_t)table;
	if (level > 1)
		for (unsigned i = 0; i < 512; i++)
			if ((t[i] & E_P) && !(t[i] & E_PS))
				free_tables(t[i] & PT_ADDR_MASK, level - 1, pages);
	page_free(&nestor_pages, table, 1);
	(*pages)--;
}

void svm_npt_shadow_drop(struct svm_nested *n)
{
	struct svm_npt_shadow *sh = &n->shadow;
	if (!sh->root)
		return;
	free_tables(sh->root, 4, &sh->pages);
	sh->root = 0;
	sh->drops++;
	log_trace("nested: shadow dropped (%llu drops)", (unsigned long long)sh->drops);
}

/* The root vmcb02 names; built empty on first use. */
uint64_t svm_npt_shadow_root(struct svm_nested *n)
{
	struct svm_npt_shadow *sh = &n->shadow;
	if (!sh->root) {
		sh->root = page_alloc(&nestor_pages, 1, 1);
		if (sh->root)
			sh->pages = 1;
	}
	return sh->root;
}

/* L1's nested-table entries, read (and A/D set) in L1's RAM. */
static bool read_l1(void *ctx, uint64_t gpa, uint64_t set, uint64_t *entry)
{
	struct vcpu *v = ctx;
	uint64_t *p = guest_mem_ptr(&v->vm->mem, gpa, 8);
	if (!p || (gpa & 7))
		return false;
	uint64_t e = __atomic_load_n(p, __ATOMIC_ACQUIRE);
	if (set && (e & set) != set)
		e = __atomic_or_fetch(p, set, __ATOMIC_ACQ_REL);
	*entry = e;
	return true;
}

/* The entry at `level` for gpa, with tables built above it; NULL when out of pages. */
static uint64_t *shadow_entry(struct svm_npt_shadow *sh, uint64_t gpa, unsigned level)
{
	uint64_t *t = (uint64_t *)(uintptr_t)sh->root;
	for (unsigned l = 4; l > level; l--) {
		uint64_t *e = &t[(gpa >> (12 + 9 * (l - 1))) & 511];
		if (!(*e & E_P) || (*e & E_PS)) {
			uint64_t page = page_alloc(&nestor_pages, 1, 1);
			if (!page)
				return NULL;
			sh->pages++;
			/* A large leaf in the way (L1 since mapped part of it smaller) goes: the
			 * rest of it faults in again. */
			*e = page | E_TABLE;
		}
		t = table_of(*e);
	}
	return &t[(gpa >> (12 + 9 * (level - 1))) & 511];
}

static enum svm_npt_fault install(struct vcpu *v, uint64_t l2_gpa, const struct nsvm_npt_result *r,
				  bool write)
{
	struct svm_vcpu *s = svm_of(v);
	struct svm_npt_shadow *sh = &s->nested->shadow;
	const struct guest_mem *mem = &v->vm->mem;
	uint64_t hva = (uint64_t)(uintptr_t)mem->hva;
	/* 2 MiB when L1's leaf covers the whole 2 MiB region of RAM and nestor's side is
	 * aligned too; else 4 KiB. */
	uint64_t base2m = r->l1_gpa & ~(SIZE_2M - 1);
	bool big = r->page_size >= SIZE_2M && !(hva & (SIZE_2M - 1)) &&
		   guest_mem_contains(mem, base2m, SIZE_2M);
	uint64_t bits = E_P | E_US;
	if (r->writable && (r->dirty || write))
		bits |= E_RW;
	if (!r->executable && svm_host_nx)
		bits |= E_NX;
	if (sh->pages >= SHADOW_MAX_PAGES)
		svm_npt_shadow_drop(s->nested);
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!svm_npt_shadow_root(s->nested))
			break;
		uint64_t *e = shadow_entry(sh, l2_gpa, big ? 2 : 1);
		if (!e) {
			svm_npt_shadow_drop(s->nested);
			continue;
		}
		uint64_t pa = hva + (big ? base2m : (r->l1_gpa & ~0xfffull));
		uint64_t old = *e;
		*e = pa | bits | (big ? E_PS : 0);
		/* vmcb02 must name the (maybe new) root; a changed translation must leave the
		 * TLB, a new or wider one need not (a fault walks again). */
		s->nested->vmcb02->control.n_cr3 = sh->root;
		if ((old & E_P) && (old & PT_ADDR_MASK) != pa)
			s->flush_tlb = true;
		sh->fills++;
		log_trace("vcpu%u: nested: shadow %#llx -> L1 %#llx (%s leaf of L1's %#llx) %#llx",
			  v->id, (unsigned long long)l2_gpa, (unsigned long long)r->l1_gpa,
			  big ? "2M" : "4K", (unsigned long long)r->page_size,
			  (unsigned long long)*e);
		return SVM_NPT_FILLED;
	}
	vm_stop_vcpu(v, "nested: out of pages for the shadow of L1's nested page table");
	return SVM_NPT_STOP;
}

enum svm_npt_fault svm_npt_shadow_fault(struct vcpu *v, uint64_t l2_gpa, uint64_t exit_info1,
					uint64_t *error, uint64_t *l1_gpa)
{
	struct svm_nested *n = svm_of(v)->nested;
	struct nsvm_npt_result r;
	/* A fault on L2's own page tables is a data access, whatever the instruction. */
	uint64_t access = exit_info1 & (NSVM_NPF_W | NSVM_NPF_ID);
	if (exit_info1 & NSVM_NPF_GPT)
		access &= ~NSVM_NPF_ID;
	nsvm_npt_walk(read_l1, v, &n->npt, l2_gpa, access, &r);
	if (!r.ok) {
		/* A table L1 placed outside its RAM reads as nothing: not present. */
		*error = r.error;
		return SVM_NPT_L1_FAULT;
	}
	*l1_gpa = r.l1_gpa;
	if (!guest_mem_contains(&v->vm->mem, r.l1_gpa & ~0xfffull, 4096))
		return SVM_NPT_MMIO;
	return install(v, l2_gpa, &r, access & NSVM_NPF_W);
}

/* The L2-physical view the emulator reads through (svm_nested_init.c, l2_mem). */
bool svm_npt_translate(const struct guest_mem *m, uint64_t gpa, uint64_t *ram_gpa)
{
	struct vcpu *v = m->ctx;
	struct nsvm_npt_result r;
	nsvm_npt_walk(read_l1, v, &svm_of(v)->nested->npt, gpa, 0, &r);
	*ram_gpa = r.l1_gpa;
	return r.ok;
}
