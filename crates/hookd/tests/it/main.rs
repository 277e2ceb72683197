//! Integration tests: the real binary, a real receiver, real SQLite files.

mod browser;
mod cli;
mod cluster;
mod crash;
mod delivery;
mod events;
mod fairness;
mod filters;
mod fuzz;
mod health;
mod hostile;
mod inprocess;
mod keys;
mod operate;
mod portal;
mod portal_edges;
mod portal_events;
mod portal_health;
mod portal_history;
mod races;
mod security;
mod service;
mod support;
mod tls;
mod traces;
mod validation;
