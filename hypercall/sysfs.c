// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/hypervisor, laid out as Linux's in-tree Xen support does it, so tools
 * and scripts that read it work unchanged in an xpv guest:
 *   type, uuid, version/{major,minor,extra},
 *   properties/{capabilities,changeset,features,pagesize},
 *   compilation/{compiler,compiled_by,compile_date}
 */
#include "internal.h"
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <xpv/hypercall.h>
#include <xen/interface/version.h>

static const struct xpv_platform *plat;
static struct kobject *hyp_kobj;

#define XPV_RO_ATTR(_name) \
	static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

/* Run XENVER_@cmd into a zeroed buffer of @size and emit it as a string. */
static ssize_t emit_xenver_string(char *buf, int cmd, size_t size)
{
	char *info = kzalloc(size, GFP_KERNEL);
	ssize_t ret;

	if (!info)
		return -ENOMEM;
	ret = xpv_xen_version(cmd, info);
	if (!ret) {
		info[size - 1] = '\0';
		ret = sysfs_emit(buf, "%s\n", info);
	}
	kfree(info);
	return ret;
}

static ssize_t type_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "xen\n");
}
XPV_RO_ATTR(type);

static ssize_t uuid_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	xen_domain_handle_t handle;
	int ret = xpv_xen_version(XENVER_guest_handle, handle);

	return ret ? ret : sysfs_emit(buf, "%pU\n", handle);
}
XPV_RO_ATTR(uuid);

static struct attribute *hyp_attrs[] = {
	&type_attr.attr,
	&uuid_attr.attr,
	NULL,
};

static const struct attribute_group hyp_group = {
	.attrs = hyp_attrs,
};

static ssize_t major_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", plat->major);
}
XPV_RO_ATTR(major);

static ssize_t minor_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", plat->minor);
}
XPV_RO_ATTR(minor);

static ssize_t extra_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", plat->extra);
}
XPV_RO_ATTR(extra);

static struct attribute *version_attrs[] = {
	&major_attr.attr,
	&minor_attr.attr,
	&extra_attr.attr,
	NULL,
};

static const struct attribute_group version_group = {
	.name = "version",
	.attrs = version_attrs,
};

static ssize_t capabilities_show(struct kobject *k, struct kobj_attribute *a,
				 char *buf)
{
	return emit_xenver_string(buf, XENVER_capabilities,
				  XEN_CAPABILITIES_INFO_LEN);
}
XPV_RO_ATTR(capabilities);

static ssize_t changeset_show(struct kobject *k, struct kobj_attribute *a,
			      char *buf)
{
	return emit_xenver_string(buf, XENVER_changeset,
				  XEN_CHANGESET_INFO_LEN);
}
XPV_RO_ATTR(changeset);

static ssize_t features_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%08x\n", plat->features);
}
XPV_RO_ATTR(features);

static ssize_t pagesize_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	int ret = xpv_xen_version(XENVER_pagesize, NULL);

	return ret < 0 ? ret : sysfs_emit(buf, "%x\n", ret);
}
XPV_RO_ATTR(pagesize);

static struct attribute *properties_attrs[] = {
	&capabilities_attr.attr,
	&changeset_attr.attr,
	&features_attr.attr,
	&pagesize_attr.attr,
	NULL,
};

static const struct attribute_group properties_group = {
	.name = "properties",
	.attrs = properties_attrs,
};

/* XENVER_compile_info, then emit the part @field picks. */
static ssize_t emit_compile_info(char *buf,
				 ssize_t (*field)(char *buf,
						  struct xen_compile_info *ci))
{
	struct xen_compile_info *ci = kzalloc(sizeof(*ci), GFP_KERNEL);
	ssize_t ret;

	if (!ci)
		return -ENOMEM;
	ret = xpv_xen_version(XENVER_compile_info, ci);
	if (!ret) {
		ci->compiler[sizeof(ci->compiler) - 1] = '\0';
		ci->compile_by[sizeof(ci->compile_by) - 1] = '\0';
		ci->compile_domain[sizeof(ci->compile_domain) - 1] = '\0';
		ci->compile_date[sizeof(ci->compile_date) - 1] = '\0';
		ret = field(buf, ci);
	}
	kfree(ci);
	return ret;
}

static ssize_t ci_compiler(char *buf, struct xen_compile_info *ci)
{
	return sysfs_emit(buf, "%s\n", ci->compiler);
}

static ssize_t ci_compiled_by(char *buf, struct xen_compile_info *ci)
{
	return sysfs_emit(buf, "%s@%s\n", ci->compile_by, ci->compile_domain);
}

static ssize_t ci_compile_date(char *buf, struct xen_compile_info *ci)
{
	return sysfs_emit(buf, "%s\n", ci->compile_date);
}

static ssize_t compiler_show(struct kobject *k, struct kobj_attribute *a,
			     char *buf)
{
	return emit_compile_info(buf, ci_compiler);
}
XPV_RO_ATTR(compiler);

static ssize_t compiled_by_show(struct kobject *k, struct kobj_attribute *a,
				char *buf)
{
	return emit_compile_info(buf, ci_compiled_by);
}
XPV_RO_ATTR(compiled_by);

static ssize_t compile_date_show(struct kobject *k, struct kobj_attribute *a,
				 char *buf)
{
	return emit_compile_info(buf, ci_compile_date);
}
XPV_RO_ATTR(compile_date);

static struct attribute *compilation_attrs[] = {
	&compiler_attr.attr,
	&compiled_by_attr.attr,
	&compile_date_attr.attr,
	NULL,
};

static const struct attribute_group compilation_group = {
	.name = "compilation",
	.attrs = compilation_attrs,
};

static const struct attribute_group *hyp_groups[] = {
	&hyp_group,
	&version_group,
	&properties_group,
	&compilation_group,
	NULL,
};

/**
 * xpv_sysfs_init() - create /sys/hypervisor for @p
 * @p: the discovered platform; must outlive xpv_sysfs_exit()
 *
 * Return: 0 or a negative errno (-EEXIST if another driver owns the name).
 */
int xpv_sysfs_init(const struct xpv_platform *p)
{
	int ret;

	plat = p;
	hyp_kobj = kobject_create_and_add("hypervisor", NULL);
	if (!hyp_kobj) {
		pr_err("cannot create /sys/hypervisor\n");
		return -ENOMEM;
	}
	ret = sysfs_create_groups(hyp_kobj, hyp_groups);
	if (ret) {
		pr_err("cannot populate /sys/hypervisor: %d\n", ret);
		kobject_put(hyp_kobj);
		hyp_kobj = NULL;
	}
	return ret;
}

/**
 * xpv_sysfs_exit() - remove /sys/hypervisor
 */
void xpv_sysfs_exit(void)
{
	sysfs_remove_groups(hyp_kobj, hyp_groups);
	kobject_put(hyp_kobj);
	hyp_kobj = NULL;
}
