// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest pages Xen writes into for good (include/xpv/shared.h): shared_info,
 * the per-vCPU vcpu_info, and for the FIFO event-channel ABI the per-vCPU
 * control blocks and the event array.
 *
 * Xen 4.17 has no way to take any of them back: VCPUOP_register_vcpu_info
 * and EVTCHNOP_init_control are refused a second time for a vCPU and cannot
 * be undone, and the shared_info frame stays mapped over the page given for
 * it. So nothing here is ever freed once Xen knows it, and the first such
 * registration pins this module (it could otherwise be unloaded and its
 * bookkeeping lost while Xen keeps writing). Nothing is set up until an
 * xpv module asks: a boot that never loads xpv_evtchn can unload
 * xpv_hypercall as often as it likes.
 *
 * Linux CPU numbers are Xen vCPU ids, as Linux on ARM assumes, and gfns are
 * pfns (ARM guests are auto-translated).
 */
#include "internal.h"
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <xpv/hypercall.h>
#include <xpv/shared.h>
#include <xen/interface/memory.h>
#include <xen/interface/vcpu.h>

#if PAGE_SIZE != XPV_XEN_PAGE_SIZE
#error "xpv: shared pages assume the kernel's page size is Xen's (4 KiB)"
#endif

/* setup_lock serialises xpv_shared_setup(); shared_lock the registrations. */
static DEFINE_MUTEX(setup_lock);
static DEFINE_MUTEX(shared_lock);
static bool shared_ready;
static bool pinned;
static struct shared_info *shared_page;

/* vcpu_info slots: a power-of-two stride, so none crosses a page. */
static void *vcpu_area;
static size_t vcpu_area_size;
static unsigned int vcpu_stride;
static struct cpumask vcpu_registered;

static bool fifo_on;
static DEFINE_PER_CPU(struct evtchn_fifo_control_block *, fifo_cb);
static struct xpv_fifo_array fifo_arr;

static u64 gfn_of(const void *p)
{
	return PHYS_PFN(virt_to_phys(p));
}

/* Xen now writes into memory this module owns: never unload it. */
static void pin_module(void)
{
	if (pinned)
		return;
	pinned = true;
	__module_get(THIS_MODULE);
	pr_info("pages registered with Xen: xpv_hypercall stays loaded until reboot\n");
}

static int map_shared_info(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
	};
	void *page = (void *)get_zeroed_page(GFP_KERNEL);
	int ret;

	if (!page)
		return -ENOMEM;
	xatp.gpfn = gfn_of(page);
	ret = xpv_memory_op(XENMEM_add_to_physmap, &xatp);
	if (ret) {
		pr_err("cannot map shared_info: XENMEM_add_to_physmap %d\n",
		       ret);
		free_page((unsigned long)page);
		return ret;
	}
	pin_module();
	shared_page = page;
	return 0;
}

static struct vcpu_info *vcpu_slot(unsigned int cpu)
{
	return vcpu_area + (size_t)cpu * vcpu_stride;
}

/* Runs on @cpu itself: Xen registers only the calling or a down vCPU. */
static int register_vcpu_info(unsigned int cpu)
{
	struct vcpu_info *vi = vcpu_slot(cpu);
	struct vcpu_register_vcpu_info info = {
		.mfn = gfn_of(vi),
		.offset = offset_in_page(vi),
	};
	int ret;

	if (cpumask_test_cpu(cpu, &vcpu_registered))
		return 0;
	ret = xpv_vcpu_op(VCPUOP_register_vcpu_info, cpu, &info);
	if (ret) {
		pr_err("cannot register vcpu_info of vCPU %u: %d\n", cpu, ret);
		return ret;
	}
	pin_module();
	cpumask_set_cpu(cpu, &vcpu_registered);
	return 0;
}

static int fifo_init_cpu(unsigned int cpu)
{
	struct evtchn_init_control init = { .vcpu = cpu };
	void *page;
	int ret;

	if (per_cpu(fifo_cb, cpu))
		return 0;
	page = (void *)get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	init.control_gfn = gfn_of(page);
	ret = xpv_event_channel_op(EVTCHNOP_init_control, &init);
	if (ret) {
		free_page((unsigned long)page);
		return ret;
	}
	pin_module();
	WRITE_ONCE(per_cpu(fifo_cb, cpu), page);
	return 0;
}

/* A CPU came online: everything the online CPUs have, it gets too. */
static int shared_cpu_online(unsigned int cpu)
{
	int ret;

	mutex_lock(&shared_lock);
	ret = register_vcpu_info(cpu);
	if (!ret && fifo_on) {
		ret = fifo_init_cpu(cpu);
		if (ret)
			pr_err("cannot set up FIFO events for vCPU %u: %d\n",
			       cpu, ret);
	}
	mutex_unlock(&shared_lock);
	return ret;
}

static int vcpu_info_setup(void)
{
	int ret;

	vcpu_stride = roundup_pow_of_two(sizeof(struct vcpu_info));
	vcpu_area_size = PAGE_ALIGN((size_t)nr_cpu_ids * vcpu_stride);
	vcpu_area = alloc_pages_exact(vcpu_area_size,
				      GFP_KERNEL | __GFP_ZERO);
	if (!vcpu_area)
		return -ENOMEM;
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "xpv/shared:online",
				shared_cpu_online, NULL);
	if (ret >= 0)
		return 0;
	/* Slots Xen knows stay, and so does the area: retrying is no use. */
	if (!cpumask_empty(&vcpu_registered)) {
		pr_err("vcpu_info registered for vCPUs %*pbl only\n",
		       cpumask_pr_args(&vcpu_registered));
		return ret;
	}
	free_pages_exact(vcpu_area, vcpu_area_size);
	vcpu_area = NULL;
	return ret;
}

/**
 * xpv_shared_setup() - map shared_info and register every vcpu_info
 *
 * Idempotent: the first successful call maps shared_info, registers the
 * vcpu_info of every online CPU and of every CPU that comes online later;
 * later calls return 0 at once. Once Xen knows any of these pages, this
 * module cannot be unloaded.
 *
 * Context: process context; takes the CPU hotplug lock.
 * Return: 0 or a negative errno (Xen's, or -ENOMEM; -EIO after a partial
 * failure that cannot be retried).
 */
int xpv_shared_setup(void)
{
	int ret = 0;

	mutex_lock(&setup_lock);
	if (shared_ready)
		goto out;
	if (!shared_page)
		ret = map_shared_info();
	if (!ret)
		ret = vcpu_area ? -EIO : vcpu_info_setup();
	shared_ready = !ret;
out:
	mutex_unlock(&setup_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_shared_setup, XPV);

/**
 * xpv_shared_info() - this domain's shared_info
 *
 * Return: the mapped shared_info, or NULL before xpv_shared_setup().
 */
struct shared_info *xpv_shared_info(void)
{
	return READ_ONCE(shared_page);
}
EXPORT_SYMBOL_NS_GPL(xpv_shared_info, XPV);

/**
 * xpv_vcpu_info() - the vcpu_info Xen uses for vCPU @cpu
 * @cpu: Linux CPU number (= Xen vCPU id)
 *
 * Return: the registered vcpu_info, or NULL if @cpu has none (offline since
 * before xpv_shared_setup(), or registration failed).
 */
struct vcpu_info *xpv_vcpu_info(unsigned int cpu)
{
	if (cpu >= nr_cpu_ids || !cpumask_test_cpu(cpu, &vcpu_registered))
		return NULL;
	return vcpu_slot(cpu);
}
EXPORT_SYMBOL_NS_GPL(xpv_vcpu_info, XPV);

/**
 * xpv_fifo_enable() - switch the domain to the FIFO event-channel ABI
 *
 * Issues EVTCHNOP_init_control for every online CPU without a control block
 * yet, and for every CPU coming online from then on. Xen switches the
 * domain to FIFO at the first success, for good: there is no way back but
 * EVTCHNOP_reset, which closes every port of the domain. Idempotent.
 *
 * Context: process context; takes the CPU hotplug lock.
 * Return: 0; the error of the first vCPU (-ENOSYS etc.: Xen has no FIFO,
 * the domain stays 2-level), or of a later one (the domain is FIFO but that
 * vCPU gets no events: xpv_fifo_enabled() is true, the call may be retried).
 */
int xpv_fifo_enable(void)
{
	unsigned int cpu;
	int ret = 0;

	cpus_read_lock();
	mutex_lock(&shared_lock);
	for_each_online_cpu(cpu) {
		ret = fifo_init_cpu(cpu);
		if (ret) {
			pr_err("EVTCHNOP_init_control for vCPU %u: %d\n", cpu,
			       ret);
			break;
		}
		fifo_on = true;
	}
	mutex_unlock(&shared_lock);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_fifo_enable, XPV);

/**
 * xpv_fifo_enabled() - has Xen switched this domain to the FIFO ABI?
 *
 * Return: true once any vCPU's control block was registered (possibly by an
 * earlier load of xpv_evtchn.ko).
 */
bool xpv_fifo_enabled(void)
{
	return READ_ONCE(fifo_on);
}
EXPORT_SYMBOL_NS_GPL(xpv_fifo_enabled, XPV);

/**
 * xpv_fifo_control_block() - the FIFO control block of vCPU @cpu
 * @cpu: Linux CPU number (= Xen vCPU id)
 *
 * Return: the control block, or NULL if @cpu has none.
 */
struct evtchn_fifo_control_block *xpv_fifo_control_block(unsigned int cpu)
{
	return cpu < nr_cpu_ids ? READ_ONCE(per_cpu(fifo_cb, cpu)) : NULL;
}
EXPORT_SYMBOL_NS_GPL(xpv_fifo_control_block, XPV);

static int fifo_add_page(void)
{
	struct evtchn_expand_array expand = { };
	event_word_t *page;
	unsigned int i;
	int ret;

	page = (event_word_t *)__get_free_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	/* New ports start masked: nothing is delivered before a handler. */
	for (i = 0; i < XPV_FIFO_WORDS_PER_PAGE; i++)
		page[i] = BIT(EVTCHN_FIFO_MASKED);
	expand.array_gfn = gfn_of(page);
	ret = xpv_event_channel_op(EVTCHNOP_expand_array, &expand);
	if (ret) {
		pr_err("EVTCHNOP_expand_array (page %u): %d\n",
		       fifo_arr.nr_pages, ret);
		free_page((unsigned long)page);
		return ret;
	}
	fifo_arr.page[fifo_arr.nr_pages] = page;
	/* Pairs with xpv_fifo_word()'s acquire: the page before the count. */
	smp_store_release(&fifo_arr.nr_pages, fifo_arr.nr_pages + 1);
	return 0;
}

/**
 * xpv_fifo_expand() - make the FIFO event array cover @port
 * @port: a port of this domain
 *
 * Context: process context.
 * Return: 0; -EINVAL if FIFO is off or @port is beyond the ABI; else the
 * error of EVTCHNOP_expand_array or -ENOMEM.
 */
int xpv_fifo_expand(evtchn_port_t port)
{
	unsigned int need = port / XPV_FIFO_WORDS_PER_PAGE + 1;
	int ret = 0;

	if (!xpv_fifo_enabled() || port >= EVTCHN_FIFO_NR_CHANNELS)
		return -EINVAL;
	mutex_lock(&shared_lock);
	while (!ret && fifo_arr.nr_pages < need)
		ret = fifo_add_page();
	mutex_unlock(&shared_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_fifo_expand, XPV);

/**
 * xpv_fifo_array() - the FIFO event array
 *
 * Return: the array; it only grows, its pages stay forever.
 */
const struct xpv_fifo_array *xpv_fifo_array(void)
{
	return &fifo_arr;
}
EXPORT_SYMBOL_NS_GPL(xpv_fifo_array, XPV);
