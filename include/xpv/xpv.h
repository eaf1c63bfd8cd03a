/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xpv: Xen paravirtual I/O for ARM guests built without CONFIG_XEN.
 *
 * Included first by every xpv source file, kernel and unit-test builds alike.
 */
#ifndef _XPV_XPV_H
#define _XPV_XPV_H

#ifdef CONFIG_XEN
#error "xpv: KDIR has CONFIG_XEN=y; xpv needs a kernel built without CONFIG_XEN"
#endif

/*
 * Every symbol xpv exports lives in this namespace: exporters use
 * EXPORT_SYMBOL_NS_GPL(sym, XPV), users MODULE_IMPORT_NS(XPV).
 */
#define XPV_NS XPV

#endif /* _XPV_XPV_H */
