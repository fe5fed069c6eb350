# core/: the orchestrator on top: nestor_main, building and running the VM, the run report.
NESTOR_C += core/banner.c core/main.c core/debug_fault.c core/virt_select.c core/vm_build.c \
	core/vcpu_report.c core/payload.c
