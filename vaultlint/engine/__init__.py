"""The lint core: the rule API, options, registry, config, suppressions, the lint pass and fix loop, the report."""
