"""Build: the kernel, one report from params to published folder, the Excel companion."""
