/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: symbol exports are meaningless here. */
#ifndef _XPV_SHIM_LINUX_EXPORT_H
#define _XPV_SHIM_LINUX_EXPORT_H
#define EXPORT_SYMBOL_NS_GPL(sym, ns)
#endif
