//! Generators: a suspended frame saved off the data stack, resumed by `send`/`__next__`,
//! with `throw` and `close`, and `yield from` delegation.
