//! Configuration: config file and CLI flags, validated before anything touches the kernel.
