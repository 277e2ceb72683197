//! Integration tests: the real binary, a real receiver, real SQLite files.

mod cli;
mod cluster;
mod crash;
mod delivery;
mod keys;
mod races;
mod security;
mod service;
mod support;
mod tls;
mod validation;
