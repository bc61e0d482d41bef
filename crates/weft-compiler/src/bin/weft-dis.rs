//! `weft-dis FILE.py` or `weft-dis -c CODE`: compiles Python source and prints the
//! disassembly of the resulting code objects. A syntax error is printed to stderr in
//! CPython's layout and the exit status is 1.

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: weft-dis FILE.py | weft-dis -c CODE");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (source, filename) = match args.as_slice() {
        [flag, code] if flag == "-c" => (code.clone(), "<string>".to_string()),
        [path] if !path.starts_with('-') => match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => (s, path.clone()),
                Err(_) => {
                    eprintln!("weft-dis: {path}: not valid UTF-8");
                    return ExitCode::FAILURE;
                }
            },
            Err(e) => {
                eprintln!("weft-dis: can't open file '{path}': {e}");
                return ExitCode::from(2);
            }
        },
        _ => return usage(),
    };
    match weft_compiler::compile(&source, &filename, weft_compiler::Mode::Exec) {
        Ok(code) => {
            print!("{}", weft_compiler::dis(&code));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
