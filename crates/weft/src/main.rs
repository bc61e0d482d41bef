//! The `weft` command.
fn main() {
    println!("weft {}", weft_eval::VARIANT);
}
