// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading what the device tree and Xen say about the hypervisor's version
 * and features. Pure logic: also compiled by the userspace unit tests.
 */
#include <xpv/xpv.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <xen/interface/features.h>
#include "version.h"

#define XEN_COMPAT "xen,xen"
#define XEN_COMPAT_VER "xen,xen-"

/* "<u16>" at *s; advances *s past the digits. */
static int parse_u16(const char **s, unsigned int *val)
{
	const char *p = *s;
	unsigned int v = 0;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > 0xffff)
			return -EINVAL;
	}
	*s = p;
	*val = v;
	return 0;
}

/* "X.Y" exactly, both 16-bit (XENVER_version packs them so). */
static int parse_version(const char *s, unsigned int *major,
			 unsigned int *minor)
{
	if (parse_u16(&s, major) || *s++ != '.' || parse_u16(&s, minor) || *s)
		return -EINVAL;
	return 0;
}

/**
 * xpv_dt_version() - Xen version from a /hypervisor "compatible" property
 * @compat: the raw property: NUL-terminated strings back to back
 * @len:    its length in bytes, including the last NUL
 * @major:  set to the major version, or 0 if the node has none
 * @minor:  set to the minor version, or 0 if the node has none
 *
 * Return: 0 with the version from a "xen,xen-X.Y" entry; -ENOENT if the node
 * is "xen,xen" without a versioned entry; -EINVAL if the property is
 * malformed (not NUL-terminated, no "xen,xen", a garbled "xen,xen-" entry).
 */
int xpv_dt_version(const char *compat, size_t len, unsigned int *major,
		   unsigned int *minor)
{
	size_t vlen = strlen(XEN_COMPAT_VER);
	unsigned int maj = 0, min = 0;
	bool generic = false, versioned = false;
	const char *s;

	*major = 0;
	*minor = 0;
	if (!compat || !len || compat[len - 1] != '\0')
		return -EINVAL;
	for (s = compat; s < compat + len; s += strlen(s) + 1) {
		if (!strcmp(s, XEN_COMPAT)) {
			generic = true;
		} else if (!strncmp(s, XEN_COMPAT_VER, vlen)) {
			if (versioned || parse_version(s + vlen, &maj, &min))
				return -EINVAL;
			versioned = true;
		}
	}
	if (!generic)
		return -EINVAL;
	if (!versioned)
		return -ENOENT;
	*major = maj;
	*minor = min;
	return 0;
}

static const char * const feature_names[] = {
	[XENFEAT_writable_page_tables] = "writable_page_tables",
	[XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
	[XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
	[XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
	[XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
	[XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
	[XENFEAT_highmem_assist] = "highmem_assist",
	[XENFEAT_gnttab_map_avail_bits] = "gnttab_map_avail_bits",
	[XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
	[XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
	[XENFEAT_hvm_pirqs] = "hvm_pirqs",
	[XENFEAT_dom0] = "dom0",
	[XENFEAT_memory_op_vnode_supported] = "memory_op_vnode_supported",
	[XENFEAT_ARM_SMCCC_supported] = "ARM_SMCCC_supported",
	[XENFEAT_linux_rsdp_unrestricted] = "linux_rsdp_unrestricted",
	[XENFEAT_not_direct_mapped] = "not_direct_mapped",
	[XENFEAT_direct_mapped] = "direct_mapped",
};

/**
 * xpv_features_format() - names of the XENFEAT_* bits set in @features
 * @features: submap 0 of XENVER_get_features
 * @buf:      output, always NUL-terminated when @size > 0
 * @size:     size of @buf
 *
 * Known bits by name, others as "bitN", separated by spaces; "none" if no
 * bit is set. Truncated output ends cleanly at @size - 1 characters.
 *
 * Return: the number of characters written, without the NUL.
 */
size_t xpv_features_format(u32 features, char *buf, size_t size)
{
	size_t n = 0, nr = ARRAY_SIZE(feature_names);
	unsigned int bit;

	if (!size)
		return 0;
	buf[0] = '\0';
	if (!features)
		return scnprintf(buf, size, "none");
	for (bit = 0; bit < 32 && n < size - 1; bit++) {
		const char *sep = n ? " " : "";

		if (!(features & (1U << bit)))
			continue;
		if (bit < nr && feature_names[bit])
			n += scnprintf(buf + n, size - n, "%s%s", sep,
				       feature_names[bit]);
		else
			n += scnprintf(buf + n, size - n, "%sbit%u", sep, bit);
	}
	return n;
}
