"""The small tree check-modules.py --self-test builds: two known cycles, and
paths that must not count (comments, strings, test modules, tests.rs, a
child using its parent, a crate with no cycle)."""

SELF_TEST = {
    # A cycle between siblings: a -> b (through a re-export) -> a.
    "crates/demo/src/lib.rs": "pub mod a;\npub mod b;\npub mod c;\npub mod d;\npub use b::Bee;\n",
    "crates/demo/src/a.rs": "use crate::Bee;\npub struct A;\n",
    "crates/demo/src/b/mod.rs": "mod inner;\npub struct Bee;\n",
    # a path into a nested module counts for the sibling that contains it
    "crates/demo/src/b/inner.rs": "pub fn f() { super::super::a::A; }\n",
    # c only names d in comments, strings and tests: no cycle c <-> d
    "crates/demo/src/c/mod.rs": (
        "// crate::d::D\n/// [`crate::d::D`]\npub fn g() -> &'static str { \"crate::d::D\" }\n"
        "#[cfg(test)]\nmod tests { use crate::d::D; }\n#[cfg(test)]\nmod more;\n"
        "pub mod child;\n"
    ),
    "crates/demo/src/c/more.rs": "use crate::d::D;\n",
    "crates/demo/src/c/tests.rs": "use crate::d::D;\n",
    # a child using its parent's items is one unit with it, not a cycle
    "crates/demo/src/c/child.rs": "use super::g;\npub fn h() { super::super::c::g(); }\n",
    "crates/demo/src/d.rs": "pub struct D;\npub fn k() { crate::c::child::h(); }\n",
    # nested siblings: x::p <-> x::q through `super::`, and a grouped use
    "crates/nest/src/main.rs": "mod x;\nmod y;\nfn main() {}\n",
    "crates/nest/src/x/mod.rs": "mod p;\nmod q;\n",
    "crates/nest/src/x/p.rs": "use super::{q::Q, super::y};\npub struct P;\n",
    "crates/nest/src/x/q.rs": "pub struct Q;\nfn f() { let _ = super::p::P; }\n",
    "crates/nest/src/y.rs": "pub fn y() {}\n",
    # no cycle at all
    "crates/clean/src/lib.rs": "mod one;\nmod two;\n",
    "crates/clean/src/one.rs": "use crate::two::T;\n",
    "crates/clean/src/two.rs": "pub struct T;\nconst S: &str = r#\"crate::one\"#;\n",
}

SELF_TEST_EXPECTED = [
    "demo: a -> b -> a",
    "    a -> b  crates/demo/src/a.rs:1",
    "    b -> a  crates/demo/src/b/inner.rs:1",
    "nest: x::p -> x::q -> x::p",
    "    x::p -> x::q  crates/nest/src/x/p.rs:1",
    "    x::q -> x::p  crates/nest/src/x/q.rs:2",
]
