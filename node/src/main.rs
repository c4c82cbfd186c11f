//! zerog-node: the one binary that runs a zerog chain.
#![warn(missing_docs)]

fn main() -> sc_cli::Result<()> {
	zerog_node::command::run()
}
