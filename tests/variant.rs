//! The compiled variant is the same in every crate, and is the one that was asked for:
//! `cargo xtask test` sets `WEFT_EXPECT_VARIANT` to `gil` or `nogil` for each run.

/// The variant each crate was compiled as: `(crate, variant)`.
fn compiled() -> Vec<(&'static str, &'static str)> {
    let this = if cfg!(feature = "nogil") {
        "nogil"
    } else {
        "gil"
    };
    vec![
        ("weft-sync", weft_sync::VARIANT),
        ("weft-refcount", weft_refcount::VARIANT),
        ("weft-object", weft_object::VARIANT),
        ("weft-containers", weft_containers::VARIANT),
        ("weft-compiler", weft_compiler::VARIANT),
        ("weft-eval", weft_eval::VARIANT),
        ("weft-tests", this),
    ]
}

#[test]
fn all_crates_agree_on_the_variant() {
    let variants = compiled();
    let (first, expected) = variants[0];
    for (name, variant) in &variants {
        assert_eq!(
            variant, &expected,
            "{name} is compiled as {variant} but {first} as {expected}"
        );
    }
    assert_eq!(
        weft_sync::NOGIL,
        expected == "nogil",
        "weft_sync::NOGIL disagrees with weft_sync::VARIANT"
    );
}

#[test]
fn variant_is_the_one_requested() {
    let Ok(requested) = std::env::var("WEFT_EXPECT_VARIANT") else {
        return; // plain `cargo test`: nothing was asked for
    };
    assert!(
        requested == "gil" || requested == "nogil",
        "WEFT_EXPECT_VARIANT must be `gil` or `nogil`, not `{requested}`"
    );
    assert_eq!(
        weft_sync::VARIANT,
        requested,
        "WEFT_EXPECT_VARIANT asks for the {requested} build but this is the {} build",
        weft_sync::VARIANT
    );
}
