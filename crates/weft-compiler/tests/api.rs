//! The public API: instruction encoding, line table, exception table, constants, names.

use std::sync::Arc;

use weft_compiler::instr::{BinaryOp, Instr, Target};
use weft_compiler::symtable::mangle;
use weft_compiler::{CodeFlags, CodeObject, Constant, ErrorKind, Mode, compile, dis, verify};

fn all_code(code: &Arc<CodeObject>) -> Vec<Arc<CodeObject>> {
    let mut out = vec![code.clone()];
    let mut i = 0;
    while i < out.len() {
        let nested: Vec<_> = out[i].nested().cloned().collect();
        out.extend(nested);
        i += 1;
    }
    out
}

fn snapshot_codes() -> Vec<Arc<CodeObject>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "py") {
            let src = std::fs::read_to_string(&p).unwrap();
            out.extend(all_code(&compile(&src, "s.py", Mode::Exec).unwrap()));
        }
    }
    out
}

#[test]
fn compact_encoding_round_trips() {
    for code in snapshot_codes() {
        for instr in &code.instructions {
            let back = Instr::decode(instr.opcode(), instr.oparg());
            assert_eq!(back, Some(*instr), "{instr:?}");
            assert_eq!(
                weft_compiler::instr::opname_of(instr.opcode()),
                Some(instr.opname())
            );
        }
    }
    assert_eq!(Instr::decode(250, 0), None);
}

#[test]
fn stack_effects_are_consistent_with_inputs() {
    for code in snapshot_codes() {
        for instr in &code.instructions {
            for jump in [false, true] {
                assert!(
                    instr.stack_effect(jump) >= -(instr.stack_inputs() as i32),
                    "{instr:?} pops more than it needs"
                );
            }
        }
    }
}

#[test]
fn line_table_and_locations() {
    let code = compile("x = 1\n\ny = (2 +\n     x)\n", "l.py", Mode::Exec).unwrap();
    let store_y = code
        .instructions
        .iter()
        .position(|i| matches!(i, Instr::StoreName(n) if code.names[*n as usize] == "y"))
        .unwrap();
    assert_eq!(code.line_for(store_y), Some(3));
    let loc = code.location_for(store_y).unwrap();
    assert_eq!((loc.line, loc.end_line), (3, 4));
    let store_x = code
        .instructions
        .iter()
        .position(|i| matches!(i, Instr::StoreName(n) if code.names[*n as usize] == "x"))
        .unwrap();
    assert_eq!(code.line_for(store_x), Some(1));
    assert_eq!(code.line_for(10_000), None);
    // Columns are character based.
    let code = compile("s = 'é'; t = 1\n", "l.py", Mode::Exec).unwrap();
    let store_t = code
        .instructions
        .iter()
        .position(|i| matches!(i, Instr::StoreName(n) if code.names[*n as usize] == "t"))
        .unwrap();
    assert_eq!(code.location_for(store_t).unwrap().col, 9);
}

#[test]
fn exception_table_lookup() {
    let src = "def f():\n    try:\n        g()\n    except E:\n        return 1\n    return 2\n";
    let module = compile(src, "t.py", Mode::Exec).unwrap();
    let f = module.nested().next().unwrap();
    let call = f
        .instructions
        .iter()
        .position(|i| matches!(i, Instr::Call(0)))
        .unwrap();
    let entry = f.handler_for(call as u32).expect("the call is covered");
    assert_eq!(entry.depth, 0);
    assert!(!entry.lasti);
    assert_eq!(f.instructions[entry.target as usize], Instr::PushExcInfo);
    assert!(f.handler_for(0).is_none());
    verify(&module).unwrap();
}

#[test]
fn frame_layout_slots() {
    let src =
        "def f(a, b):\n    c = a\n    def g():\n        return a + c + d\n    return g\nd = 1\n";
    let module = compile(src, "t.py", Mode::Exec).unwrap();
    let f = module.nested().next().unwrap();
    assert_eq!(f.varnames, ["a", "b", "g"]);
    assert_eq!(f.cellvars, ["a", "c"]);
    assert_eq!(f.slot_name(3), Some("a"));
    assert_eq!(f.slot_name(4), Some("c"));
    assert_eq!(f.slot_count(), 5);
    // The parameter `a` is copied into its cell in the prologue.
    assert_eq!(
        &f.instructions[..4],
        &[
            Instr::MakeCell(3),
            Instr::MakeCell(4),
            Instr::LoadFast(0),
            Instr::StoreDeref(3),
        ]
    );
    let g = f.nested().next().unwrap();
    assert_eq!(g.freevars, ["a", "c"]);
    assert_eq!(g.instructions[0], Instr::CopyFreeVars(2));
    assert!(g.flags.has(CodeFlags::NESTED));
    assert!(g.instructions.contains(&Instr::LoadDeref(0)));
    assert!(g.instructions.contains(&Instr::LoadDeref(1)));
    assert_eq!(f.frame_size(), f.slot_count() + f.stack_size as usize);
}

#[test]
fn constants_and_folding() {
    let code = compile(
        "x = (-(2 ** 3), 1.5 * 2, 'ab' * 2, ~0, not 1, 1 + 2j)\n",
        "c.py",
        Mode::Exec,
    )
    .unwrap();
    let tuple = code
        .constants
        .iter()
        .find(|c| matches!(c, Constant::Tuple(_)))
        .unwrap();
    assert_eq!(tuple.repr(), "(-8, 3.0, 'abab', -1, False, (1+2j))");
    // Bitwise operators on bools fold to bools, on a bool and an int to an int.
    let code = compile(
        "x = (True & False, True | False, True ^ True, True & 3)\n",
        "c.py",
        Mode::Exec,
    )
    .unwrap();
    let tuple = code
        .constants
        .iter()
        .find(|c| matches!(c, Constant::Tuple(_)))
        .unwrap();
    assert_eq!(tuple.repr(), "(False, True, False, 1)");
    // Not folded: division by zero, huge results.
    let code = compile("x = 1 / 0\ny = 2 ** 1000\n", "c.py", Mode::Exec).unwrap();
    assert!(
        code.instructions
            .contains(&Instr::BinaryOp(BinaryOp::TrueDivide))
    );
    assert!(
        code.instructions
            .contains(&Instr::BinaryOp(BinaryOp::Power))
    );
    // Constants are shared: 1, 1.0 and True stay distinct.
    let code = compile("a = 1\nb = 1.0\nc = True\nd = 1\n", "c.py", Mode::Exec).unwrap();
    assert_eq!(
        code.constants
            .iter()
            .filter(|c| !matches!(c, Constant::None))
            .count(),
        3
    );
    assert_eq!(Constant::Float(-0.0).repr(), "-0.0");
    assert_eq!(
        Constant::Complex {
            real: 0.0,
            imag: 1.0
        }
        .repr(),
        "1j"
    );
    assert_eq!(Constant::Bytes(b"a\n".to_vec()).repr(), "b'a\\n'");
}

#[test]
fn name_mangling() {
    assert_eq!(mangle(Some("C"), "__x"), "_C__x");
    assert_eq!(mangle(Some("_C"), "__x"), "_C__x");
    assert_eq!(mangle(Some("__"), "__x"), "__x");
    assert_eq!(mangle(Some("C"), "__x__"), "__x__");
    assert_eq!(mangle(None, "__x"), "__x");
}

#[test]
fn jumps_have_directions() {
    for code in snapshot_codes() {
        for (i, instr) in code.instructions.iter().enumerate() {
            match *instr {
                Instr::JumpForward(Target(t)) => assert!(t as usize > i),
                Instr::JumpBackward(Target(t)) => assert!(t as usize <= i),
                _ => {}
            }
        }
    }
}

#[test]
fn generator_and_docstring_conventions() {
    let src = "def g():\n    'doc'\n    yield 1\nf = lambda: 0\n";
    let module = compile(src, "g.py", Mode::Exec).unwrap();
    let mut nested = module.nested();
    let g = nested.next().unwrap();
    assert!(g.flags.has(CodeFlags::GENERATOR));
    assert_eq!(g.constants[0], Constant::Str("doc".into()));
    let lambda = nested.next().unwrap();
    assert_eq!(lambda.constants[0], Constant::None);
    assert_eq!(lambda.qualname, "<lambda>");
}

#[test]
fn disassembly_resolves_arguments() {
    let code = compile("import os\nprint(os.sep, x[1:2])\n", "d.py", Mode::Exec).unwrap();
    let text = dis(&code);
    assert!(text.contains("LOAD_NAME                0 (os)"), "{text}");
    assert!(text.contains("IMPORT_NAME"), "{text}");
    assert!(text.contains("BUILD_SLICE              2"), "{text}");
}

#[test]
fn error_kinds_display() {
    let e = compile(&format!("x = {}1\n", "-".repeat(5000)), "d.py", Mode::Exec).unwrap_err();
    assert_eq!(e.kind, ErrorKind::RecursionError);
    assert_eq!(
        e.to_string(),
        "RecursionError: maximum recursion depth exceeded during compilation"
    );
    let e = compile("if x:\n\tif y:\n        pass\n", "t.py", Mode::Exec).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TabError);
}
