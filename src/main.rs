//! The `directd` binary: CLI -> logging -> config -> driver.

fn main() -> anyhow::Result<()> {
    anyhow::bail!("directd: not implemented yet")
}
