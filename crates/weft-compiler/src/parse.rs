//! The parser facade: the only module that names the parser crates.
//!
//! weft parses with `ruff_python_parser` (pinned exactly in the workspace `Cargo.toml`).
//! Everything the rest of the compiler needs from it goes through this module:
//!
//! - [`ast`]: the syntax tree (a re-export of `ruff_python_ast`); code generation walks it.
//! - [`Ranged`], [`TextRange`], [`TextSize`]: byte ranges of nodes.
//! - [`parse`]: source text to a [`Tree`], with the parser's first error turned into a
//!   CPython-style [`CompileError`] (message, exception class, position).
//! - [`SourceMap`]: byte offsets to 1-based lines and 0-based character columns.
//!
//! The parser is asked for Python 3.11 syntax: constructs newer than 3.11 (PEP 695 type
//! parameters, PEP 701 f-strings, ...) are reported as syntax errors, as CPython 3.11 does.
//! Upgrading the parser should only touch this file.

pub use ruff_python_ast as ast;
pub use ruff_text_size::{Ranged, TextRange, TextSize};

use ruff_python_ast::PythonVersion;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{
    InterpolatedStringErrorType, LexicalErrorType, ParseError, ParseErrorType, ParseOptions,
};
use ruff_source_file::{LineIndex, OneIndexed};

use crate::error::{CompileError, ErrorKind};

/// What a source text parsed into.
#[derive(Debug)]
pub enum Tree {
    /// A sequence of statements (modes `exec` and `single`).
    Module(Vec<ast::Stmt>),
    /// One expression (mode `eval`).
    Expression(ast::Expr),
}

/// Which grammar to parse with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grammar {
    /// A module: statements.
    Module,
    /// A single expression.
    Expression,
}

/// Line and column lookup for one source text.
#[derive(Debug)]
pub struct SourceMap<'s> {
    source: &'s str,
    index: LineIndex,
    /// Whether each line (by 0-based index) is pure ASCII (byte column = character column).
    ascii_lines: Vec<bool>,
    /// For long non-ASCII lines, the character column of every byte offset, built on first
    /// use (keeps column lookups O(1) on minified or generated code).
    columns: std::cell::RefCell<std::collections::HashMap<usize, Vec<u32>>>,
}

impl<'s> SourceMap<'s> {
    /// Builds the line index of `source`.
    pub fn new(source: &'s str) -> SourceMap<'s> {
        let index = LineIndex::from_source_text(source);
        let starts = index.line_starts();
        let ascii_lines = (0..starts.len())
            .map(|i| {
                let a = starts[i].to_usize();
                let b = starts.get(i + 1).map_or(source.len(), |s| s.to_usize());
                source[a..b].is_ascii()
            })
            .collect();
        SourceMap {
            source,
            index,
            ascii_lines,
            columns: std::cell::RefCell::new(std::collections::HashMap::new()),
        }
    }

    /// The source text.
    pub fn source(&self) -> &'s str {
        self.source
    }

    /// The 1-based line number of byte offset `offset`.
    pub fn line(&self, offset: TextSize) -> u32 {
        let offset = offset.min(TextSize::new(self.source.len() as u32));
        self.index.line_index(offset).get() as u32
    }

    /// The 1-based line and the 0-based character column of byte offset `offset`.
    pub fn position(&self, offset: TextSize) -> (u32, u32) {
        let offset = offset.min(TextSize::new(self.source.len() as u32));
        let line = self.index.line_index(offset);
        let start = self.index.line_start(line, self.source);
        let start = start.to_usize();
        let mut o = offset.to_usize();
        while o > start && !self.source.is_char_boundary(o) {
            o -= 1;
        }
        let line_no = line.get() as u32;
        if self
            .ascii_lines
            .get(line.to_zero_indexed())
            .copied()
            .unwrap_or(true)
        {
            return (line_no, (o - start) as u32);
        }
        if o - start < 256 {
            return (line_no, self.source[start..o].chars().count() as u32);
        }
        let mut columns = self.columns.borrow_mut();
        let table = columns.entry(start).or_insert_with(|| {
            let end = self.source[start..]
                .find('\n')
                .map_or(self.source.len(), |i| start + i + 1);
            let mut t = Vec::with_capacity(end - start + 1);
            let mut col = 0u32;
            for (i, _) in self.source[start..end].char_indices() {
                while t.len() < i {
                    t.push(col);
                }
                t.push(col);
                col += 1;
            }
            t.resize(end - start + 1, col);
            t
        });
        let col = table.get(o - start).copied().unwrap_or(0);
        (line_no, col)
    }

    /// The text of 1-based line `line`, without its terminator (`None` past the end).
    pub fn line_text(&self, line: u32) -> Option<&'s str> {
        if line == 0 || line as usize > self.index.line_count() {
            return None;
        }
        let range = self
            .index
            .line_range(OneIndexed::new(line as usize)?, self.source);
        let text = &self.source[range.start().to_usize()..range.end().to_usize()];
        Some(text.trim_end_matches(['\n', '\r']))
    }

    /// A [`CompileError`] of class `kind` covering the byte range `range`.
    pub fn error(
        &self,
        kind: ErrorKind,
        message: impl Into<String>,
        filename: &str,
        range: TextRange,
    ) -> CompileError {
        let (line, col) = self.position(range.start());
        let (end_line, end_col) = self.position(range.end());
        CompileError {
            kind,
            message: message.into(),
            filename: filename.to_string(),
            line,
            column: col + 1,
            end_line,
            end_column: Some(end_col + 1),
            text: self.line_text(line).map(str::to_string),
        }
    }
}

/// Parses `source` with `grammar`; the first syntax error becomes a [`CompileError`].
pub fn parse(
    source: &str,
    grammar: Grammar,
    map: &SourceMap<'_>,
    filename: &str,
) -> Result<Tree, CompileError> {
    let mode = match grammar {
        Grammar::Module => ruff_python_parser::Mode::Module,
        Grammar::Expression => ruff_python_parser::Mode::Expression,
    };
    let options = ParseOptions::from(mode).with_target_version(PythonVersion::PY311);
    let parsed = ruff_python_parser::parse_unchecked(source, options);
    let first = parsed.errors().iter().min_by_key(|e| e.location.start());
    let tabs = inconsistent_tabs(source, parsed.tokens());
    let tabs_first = match (first, tabs) {
        (Some(e), Some(t)) => t.start() <= e.location.start(),
        (None, Some(_)) => true,
        _ => false,
    };
    if let Some(first) = first
        && !tabs_first
    {
        return Err(convert_error(first, map, filename));
    }
    if let Some(range) = tabs {
        let mut e = map.error(
            ErrorKind::TabError,
            "inconsistent use of tabs and spaces in indentation",
            filename,
            range,
        );
        e.end_column = None;
        return Err(e);
    }
    if let Some(first) = parsed
        .unsupported_syntax_errors()
        .iter()
        .min_by_key(|e| e.range.start())
    {
        let message = format!("{first}");
        return Err(map.error(ErrorKind::SyntaxError, message, filename, first.range));
    }
    Ok(match parsed.into_syntax() {
        ast::Mod::Module(m) => Tree::Module(m.body.into_iter().collect()),
        ast::Mod::Expression(e) => Tree::Expression(*e.body),
    })
}

/// A cheap, conservative estimate of how deeply the syntax tree of `source` nests, computed
/// from the token stream without parsing: bracket nesting, chains of operators, attribute
/// accesses, calls and keywords that nest expressions (`not`, `lambda`, `if`/`else`,
/// `await`, `yield`, `:=`, `=`, `:`, ...), and indentation. Commas end a chain (siblings do
/// not nest). It over-counts (`a*b + c*d` counts 3 where the tree is 2 deep), never by
/// less than the tree's depth in practice. [`crate::compile`] uses it to decide whether to
/// parse on the caller's stack or on a helper thread with a large stack, where the exact
/// depth ([`tree_depth`]) is then measured.
pub fn nesting_estimate(source: &str, grammar: Grammar) -> u32 {
    let mode = match grammar {
        Grammar::Module => ruff_python_parser::Mode::Module,
        Grammar::Expression => ruff_python_parser::Mode::Expression,
    };
    let mut lexer = ruff_python_parser::lexer::lex(source, mode);
    // Per open bracket: the chain length at the bracket.
    let mut stack: Vec<u32> = Vec::new();
    let mut outer: u32 = 0;
    let mut current: u32 = 0;
    let mut indent: u32 = 0;
    let mut best: u32 = 0;
    loop {
        let kind = lexer.next_token();
        match kind {
            TokenKind::EndOfFile => break,
            TokenKind::Lpar
            | TokenKind::Lsqb
            | TokenKind::Lbrace
            | TokenKind::FStringStart
            | TokenKind::TStringStart => {
                stack.push(current);
                outer = outer.saturating_add(current + 1);
                current = 0;
            }
            TokenKind::Rpar
            | TokenKind::Rsqb
            | TokenKind::Rbrace
            | TokenKind::FStringEnd
            | TokenKind::TStringEnd => {
                if let Some(saved) = stack.pop() {
                    outer = outer.saturating_sub(saved + 1);
                    current = saved.saturating_add(1);
                }
            }
            TokenKind::Comma => current = 0,
            TokenKind::Newline => {
                stack.clear();
                outer = 0;
                current = 0;
            }
            TokenKind::Indent => indent += 1,
            TokenKind::Dedent => indent = indent.saturating_sub(1),
            TokenKind::Plus
            | TokenKind::Minus
            | TokenKind::Star
            | TokenKind::Slash
            | TokenKind::Vbar
            | TokenKind::Amper
            | TokenKind::Less
            | TokenKind::Greater
            | TokenKind::Dot
            | TokenKind::Percent
            | TokenKind::EqEqual
            | TokenKind::NotEqual
            | TokenKind::LessEqual
            | TokenKind::GreaterEqual
            | TokenKind::Tilde
            | TokenKind::CircumFlex
            | TokenKind::LeftShift
            | TokenKind::RightShift
            | TokenKind::DoubleStar
            | TokenKind::DoubleSlash
            | TokenKind::ColonEqual
            | TokenKind::At
            | TokenKind::And
            | TokenKind::Or
            | TokenKind::Not
            | TokenKind::Is
            | TokenKind::In
            | TokenKind::If
            | TokenKind::Else
            | TokenKind::For
            | TokenKind::Lambda
            | TokenKind::Await
            | TokenKind::Yield
            | TokenKind::Equal
            | TokenKind::Colon => current = current.saturating_add(1),
            _ => {}
        }
        best = best.max(
            indent
                .saturating_mul(4)
                .saturating_add(outer)
                .saturating_add(current),
        );
    }
    best
}

/// The exact nesting depth of a parsed tree (statements, expressions and their parts),
/// measured without recursion. Stops counting past `limit` (returns a value > `limit`).
pub fn tree_depth(tree: &Tree, limit: u32) -> u32 {
    use ruff_python_ast::AnyNodeRef;
    use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};

    struct Children<'a> {
        out: Vec<AnyNodeRef<'a>>,
    }
    impl<'a> SourceOrderVisitor<'a> for Children<'a> {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            self.out.push(node);
            TraversalSignal::Skip
        }
    }

    let mut stack: Vec<(AnyNodeRef<'_>, u32)> = match tree {
        Tree::Module(body) => body.iter().map(|s| (AnyNodeRef::from(s), 1)).collect(),
        Tree::Expression(e) => vec![(AnyNodeRef::from(e), 1)],
    };
    let mut best = 0;
    let mut children = Children { out: Vec::new() };
    while let Some((node, depth)) = stack.pop() {
        best = best.max(depth);
        if best > limit {
            break;
        }
        node.visit_source_order(&mut children);
        stack.extend(children.out.drain(..).map(|c| (c, depth + 1)));
    }
    best
}

/// What kind of target an invalid assignment error is about.
#[derive(Clone, Copy)]
enum TargetUse {
    Assign,
    Delete,
    AugAssign,
    Named,
    Annotated,
}

fn convert_error(err: &ParseError, map: &SourceMap<'_>, filename: &str) -> CompileError {
    let source = map.source();
    let range = err.location;
    let mut kind = ErrorKind::SyntaxError;
    let mut range_out = range;
    let message: String = match &err.error {
        ParseErrorType::InvalidAssignmentTarget => target_message(source, range, TargetUse::Assign),
        ParseErrorType::InvalidDeleteTarget => target_message(source, range, TargetUse::Delete),
        ParseErrorType::InvalidAugmentedAssignmentTarget => {
            target_message(source, range, TargetUse::AugAssign)
        }
        ParseErrorType::InvalidNamedAssignmentTarget => {
            target_message(source, range, TargetUse::Named)
        }
        ParseErrorType::InvalidAnnotatedAssignmentTarget => {
            target_message(source, range, TargetUse::Annotated)
        }
        ParseErrorType::UnexpectedIndentation => {
            kind = ErrorKind::IndentationError;
            "unexpected indent".into()
        }
        ParseErrorType::ExpectedToken {
            expected: TokenKind::Indent,
            ..
        } => {
            kind = ErrorKind::IndentationError;
            "expected an indented block".into()
        }
        ParseErrorType::ExpectedToken {
            expected: TokenKind::Colon,
            ..
        } => "expected ':'".into(),
        ParseErrorType::ExpectedToken {
            expected: TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace,
            found: TokenKind::EndOfFile | TokenKind::Newline,
        } => match unclosed_bracket(source, range.start()) {
            Some((bracket, at)) => {
                range_out = TextRange::at(at, TextSize::new(1));
                format!("'{bracket}' was never closed")
            }
            None => "invalid syntax".into(),
        },
        ParseErrorType::OtherError(msg) if msg.starts_with("Expected an indented block after ") => {
            kind = ErrorKind::IndentationError;
            indented_block_message(source, map, range, msg)
        }
        ParseErrorType::ExpectedToken { .. } | ParseErrorType::SimpleStatementsOnSameLine
            if augassign_target(source, range).is_some() =>
        {
            let (target, kind_name) = augassign_target(source, range).unwrap_or_default();
            range_out = target;
            format!("'{kind_name}' is an illegal expression for augmented assignment")
        }
        ParseErrorType::OtherError(msg) if !msg.starts_with("Expected") => lowercase_first(msg),
        ParseErrorType::ExpectedToken { .. }
        | ParseErrorType::OtherError(_)
        | ParseErrorType::ExpectedExpression
        | ParseErrorType::UnexpectedExpressionToken
        | ParseErrorType::SimpleStatementsOnSameLine
        | ParseErrorType::SimpleAndCompoundStatementOnSameLine
        | ParseErrorType::UnexpectedTokenAfterAsync(_) => "invalid syntax".into(),
        ParseErrorType::InvalidArgumentUnpackingOrder => {
            range_out = TextRange::at(range.start(), TextSize::new(1));
            "iterable argument unpacking follows keyword argument unpacking".into()
        }
        ParseErrorType::PositionalAfterKeywordArgument => {
            "positional argument follows keyword argument".into()
        }
        ParseErrorType::PositionalAfterKeywordUnpacking => {
            "positional argument follows keyword argument unpacking".into()
        }
        ParseErrorType::UnparenthesizedGeneratorExpression => {
            "Generator expression must be parenthesized".into()
        }
        ParseErrorType::NonDefaultParamAfterDefaultParam => {
            "non-default argument follows default argument".into()
        }
        ParseErrorType::InvalidStarredExpressionUsage => "can't use starred expression here".into(),
        ParseErrorType::Lexical(lex) => match lex {
            LexicalErrorType::IndentationError => {
                kind = ErrorKind::IndentationError;
                "unindent does not match any outer indentation level".into()
            }
            LexicalErrorType::UnclosedStringError => {
                let line = map.line(range.start());
                range_out = TextRange::empty(range.start());
                format!("unterminated string literal (detected at line {line})")
            }
            LexicalErrorType::Eof => "unexpected EOF while parsing".into(),
            LexicalErrorType::UnrecognizedToken { tok } => {
                format!("invalid character '{tok}' (U+{:04X})", *tok as u32)
            }
            LexicalErrorType::LineContinuationError => {
                "unexpected character after line continuation character".into()
            }
            LexicalErrorType::FStringError(e) => fstring_message(e, source, range),
            other => lowercase_first(&other.to_string()),
        },
        ParseErrorType::FStringError(e) => fstring_message(e, source, range),
        other => lowercase_first(&other.to_string()),
    };
    let caret = !matches!(
        err.error,
        ParseErrorType::UnexpectedIndentation | ParseErrorType::Lexical(_)
    );
    let mut error = map.error(kind, message, filename, range_out);
    if kind == ErrorKind::IndentationError && !caret {
        error.end_column = None;
    }
    error
}

/// CPython's "expected an indented block after 'if' statement on line N" from the parser's
/// "Expected an indented block after `if` statement".
fn indented_block_message(source: &str, map: &SourceMap<'_>, at: TextRange, msg: &str) -> String {
    let clause = msg.trim_start_matches("Expected an indented block after ");
    let (keyword, what) = match clause {
        "function definition" => ("def", "function definition".to_string()),
        "`class` definition" => ("class", "class definition".to_string()),
        other => {
            let kw = other.split('`').nth(1).unwrap_or("if");
            (kw, format!("'{kw}' statement"))
        }
    };
    // The header is the nearest line above the error that starts with the keyword.
    let error_line = map.line(at.start());
    let mut header = error_line.saturating_sub(1).max(1);
    let mut line = error_line;
    while line > 1 {
        line -= 1;
        let text = map.line_text(line).unwrap_or("").trim_start();
        let text = text.strip_prefix("async ").unwrap_or(text);
        if text
            .strip_prefix(keyword)
            .is_some_and(|rest| rest.starts_with([' ', ':', '(', '\t']) || rest.is_empty())
        {
            header = line;
            break;
        }
    }
    let _ = source;
    format!("expected an indented block after {what} on line {header}")
}

/// CPython's tab check: each logical line's indentation must compare the same way against
/// the enclosing indentation levels whether a tab counts as 8 columns or as 1. Returns the
/// range of the first inconsistent line's first token.
fn inconsistent_tabs(source: &str, tokens: &[ruff_python_ast::token::Token]) -> Option<TextRange> {
    if !source.contains('\t') {
        return None;
    }
    let measure = |indent: &str| -> (usize, usize) {
        let (mut col, mut alt) = (0usize, 0usize);
        for c in indent.chars() {
            match c {
                '\t' => {
                    col = (col / 8 + 1) * 8;
                    alt += 1;
                }
                '\x0c' => {
                    col = 0;
                    alt = 0;
                }
                _ => {
                    col += 1;
                    alt += 1;
                }
            }
        }
        (col, alt)
    };
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    let mut at_line_start = true;
    for tok in tokens {
        match tok.kind() {
            TokenKind::Newline => {
                at_line_start = true;
                continue;
            }
            TokenKind::NonLogicalNewline
            | TokenKind::Comment
            | TokenKind::Indent
            | TokenKind::Dedent
            | TokenKind::EndOfFile => continue,
            _ => {}
        }
        if !at_line_start {
            continue;
        }
        at_line_start = false;
        let start = tok.range().start().to_usize();
        let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line = &source[line_start..];
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len()];
        let (col, alt) = measure(indent);
        let &(top_col, top_alt) = stack.last().unwrap_or(&(0, 0));
        let bad = if col == top_col {
            alt != top_alt
        } else if col > top_col {
            if alt <= top_alt {
                true
            } else {
                stack.push((col, alt));
                false
            }
        } else {
            while stack.len() > 1 && stack.last().is_some_and(|&(c, _)| c > col) {
                stack.pop();
            }
            let &(c, a) = stack.last().unwrap_or(&(0, 0));
            c == col && a != alt
        };
        if bad {
            return Some(tok.range());
        }
    }
    None
}

fn fstring_message(e: &InterpolatedStringErrorType, source: &str, range: TextRange) -> String {
    match e {
        InterpolatedStringErrorType::UnterminatedString
        | InterpolatedStringErrorType::UnterminatedTripleQuotedString => {
            let _ = (source, range);
            format!("f-string: {e}")
        }
        InterpolatedStringErrorType::SingleRbrace => "f-string: single '}' is not allowed".into(),
        InterpolatedStringErrorType::UnclosedLbrace => "f-string: expecting '}'".into(),
        other => format!("f-string: {other}"),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Finds the innermost bracket still open at `end` (scanning `source[..end]`, skipping
/// strings and comments roughly), with its byte offset.
fn unclosed_bracket(source: &str, end: TextSize) -> Option<(char, TextSize)> {
    let text = &source[..end.to_usize().min(source.len())];
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '(' | '[' | '{' => stack.push((c, i)),
            ')' | ']' | '}' => {
                stack.pop();
            }
            '#' => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '\'' | '"' => {
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == c || d == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    stack.last().map(|&(c, i)| (c, TextSize::new(i as u32)))
}

/// For an error at an augmented-assignment operator (`a, b += 1`): the range of the target
/// before it on the same line and CPython's name for its kind.
fn augassign_target(source: &str, range: TextRange) -> Option<(TextRange, &'static str)> {
    const OPS: [&str; 13] = [
        "**=", "//=", ">>=", "<<=", "+=", "-=", "*=", "@=", "/=", "%=", "&=", "|=", "^=",
    ];
    let at = range.start().to_usize();
    let rest = source.get(at..)?;
    if !OPS.iter().any(|op| rest.starts_with(op)) {
        return None;
    }
    let before = &source[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let text = &before[line_start..];
    let indent = text.len() - text.trim_start().len();
    let target = text.trim();
    if target.is_empty() {
        return None;
    }
    let parsed = ruff_python_parser::parse_expression(target).ok()?;
    let name = expr_kind_name(parsed.expr());
    let start = TextSize::new((line_start + indent) as u32);
    Some((
        TextRange::at(start, TextSize::new(target.len() as u32)),
        name,
    ))
}

/// CPython's name for an expression that cannot be a target ("literal", "function call", ...).
pub(crate) fn expr_kind_name(expr: &ast::Expr) -> &'static str {
    use ast::Expr;
    match expr {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BytesLiteral(_) => "literal",
        Expr::BooleanLiteral(b) => {
            if b.value {
                "True"
            } else {
                "False"
            }
        }
        Expr::NoneLiteral(_) => "None",
        Expr::EllipsisLiteral(_) => "ellipsis",
        Expr::Call(_) => "function call",
        Expr::BinOp(_) | Expr::UnaryOp(_) | Expr::BoolOp(_) => "expression",
        Expr::Compare(_) => "comparison",
        Expr::Lambda(_) => "lambda",
        Expr::If(_) => "conditional expression",
        Expr::FString(_) | Expr::TString(_) => "f-string expression",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Generator(_) => "generator expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::Named(_) => "named expression",
        Expr::Starred(_) => "starred",
        Expr::Tuple(_) => "tuple",
        Expr::List(_) => "list",
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Name(_) => "name",
        Expr::Slice(_) => "slice",
        Expr::IpyEscapeCommand(_) => "expression",
    }
}

/// The CPython message for an invalid target at `range`.
fn target_message(source: &str, range: TextRange, usage: TargetUse) -> String {
    let text = source
        .get(range.start().to_usize()..range.end().to_usize())
        .unwrap_or("");
    let reparsed = ruff_python_parser::parse_expression(text.trim())
        .or_else(|_| ruff_python_parser::parse_expression(&format!("({})", text.trim())));
    let Ok(parsed) = reparsed else {
        return "invalid syntax".into();
    };
    let expr = parsed.expr();
    let name = expr_kind_name(expr);
    match usage {
        TargetUse::Assign => {
            if matches!(expr, ast::Expr::Starred(_)) {
                return "starred assignment target must be in a list or tuple".into();
            }
            let suggest = !matches!(
                expr,
                ast::Expr::Compare(_)
                    | ast::Expr::BoolOp(_)
                    | ast::Expr::Lambda(_)
                    | ast::Expr::If(_)
                    | ast::Expr::Generator(_)
                    | ast::Expr::BooleanLiteral(_)
                    | ast::Expr::NoneLiteral(_)
                    | ast::Expr::UnaryOp(ast::ExprUnaryOp {
                        op: ast::UnaryOp::Not,
                        ..
                    })
            ) && is_whole_first_target(source, range);
            if suggest {
                format!("cannot assign to {name} here. Maybe you meant '==' instead of '='?")
            } else {
                format!("cannot assign to {name}")
            }
        }
        TargetUse::Delete => format!("cannot delete {name}"),
        TargetUse::AugAssign => {
            format!("'{name}' is an illegal expression for augmented assignment")
        }
        TargetUse::Named => format!("cannot use assignment expressions with {name}"),
        TargetUse::Annotated => match expr {
            ast::Expr::Tuple(_) => "only single target (not tuple) can be annotated".into(),
            ast::Expr::List(_) => "only single target (not list) can be annotated".into(),
            _ => "illegal target for annotation".into(),
        },
    }
}

/// Whether `range` is the whole first target of an `=` statement: only whitespace before it
/// on its line, and a single `=` after it.
fn is_whole_first_target(source: &str, range: TextRange) -> bool {
    let before = &source[..range.start().to_usize()];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = &before[line_start..];
    let prefix_ok = prefix.trim_end_matches('(').trim().is_empty();
    let after = source[range.end().to_usize()..].trim_start_matches([')', ' ', '\t']);
    prefix_ok && after.starts_with('=') && !after.starts_with("==")
}
