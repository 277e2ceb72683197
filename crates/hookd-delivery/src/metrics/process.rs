//! The process's own metrics under their usual names (`process_cpu_seconds_total`,
//! `process_resident_memory_bytes`, ...), read from `/proc/self` on each scrape. Elsewhere than
//! Linux there is no `/proc`, and nothing is written.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Unit;

#[derive(Debug)]
pub(super) struct Process {
    /// Clock ticks a second, the unit of `/proc/self/stat`'s times.
    ticks: f64,
    /// Bytes a page, the unit of its resident memory.
    page: f64,
}

/// What one reading of `/proc` says about this process.
#[derive(Debug, Default, PartialEq)]
struct Reading {
    cpu_seconds: f64,
    start_time_seconds: f64,
    resident_bytes: f64,
    virtual_bytes: f64,
    open_fds: i64,
    max_fds: i64,
}

impl Process {
    pub(super) fn new() -> Self {
        // SAFETY: sysconf reads a constant of the system and has no preconditions.
        let (ticks, page) = unsafe { (libc::sysconf(libc::_SC_CLK_TCK), libc::sysconf(libc::_SC_PAGESIZE)) };
        Self { ticks: if ticks > 0 { ticks as f64 } else { 100.0 }, page: if page > 0 { page as f64 } else { 4096.0 } }
    }

    fn read(&self) -> Option<Reading> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let boot = std::fs::read_to_string("/proc/stat").ok()?;
        let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
        let open_fds = std::fs::read_dir("/proc/self/fd").ok()?.count() as i64;
        parse(&stat, &boot, &limits, (self.ticks, self.page), open_fds)
    }
}

/// The fields of `/proc/self/stat` (after the command, which may hold spaces and parentheses),
/// the boot time of `/proc/stat`, and the open-files limit of `/proc/self/limits`.
fn parse(stat: &str, boot: &str, limits: &str, (ticks, page): (f64, f64), open_fds: i64) -> Option<Reading> {
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    // Numbered as in proc(5), whose field 3 (state) is fields[0] here.
    let field = |n: usize| fields.get(n - 3).and_then(|v| v.parse::<f64>().ok());
    let booted: f64 = boot.lines().find_map(|l| l.strip_prefix("btime "))?.trim().parse().ok()?;
    let max_fds = limits
        .lines()
        .find_map(|l| l.strip_prefix("Max open files"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|soft| soft.parse().ok())
        .unwrap_or(-1);
    Some(Reading {
        cpu_seconds: (field(14)? + field(15)?) / ticks,
        start_time_seconds: booted + field(22)? / ticks,
        virtual_bytes: field(23)?,
        resident_bytes: field(24)? * page,
        open_fds,
        max_fds,
    })
}

impl Collector for Process {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let Some(r) = self.read() else { return Ok(()) };
        let cpu = ConstCounter::new(r.cpu_seconds);
        cpu.encode(encoder.encode_descriptor(
            "process_cpu",
            "Processor time spent by hookd, user and system",
            Some(&Unit::Seconds),
            cpu.metric_type(),
        )?)?;
        let gauges = [
            (
                "process_start_time",
                "When hookd started, in seconds since the Unix epoch",
                Some(Unit::Seconds),
                r.start_time_seconds,
            ),
            ("process_resident_memory", "Resident memory", Some(Unit::Bytes), r.resident_bytes),
            ("process_virtual_memory", "Virtual memory", Some(Unit::Bytes), r.virtual_bytes),
            ("process_open_fds", "Open file descriptors", None, r.open_fds as f64),
            ("process_max_fds", "Most file descriptors hookd may open", None, r.max_fds as f64),
        ];
        for (name, help, unit, value) in gauges {
            let g = ConstGauge::new(value);
            g.encode(encoder.encode_descriptor(name, help, unit.as_ref(), g.metric_type())?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_fields_past_a_command_with_spaces_and_parentheses() {
        let stat = "4242 (hookd (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 9 0 1000 104857600 2560 18446744073709551615";
        let boot = "cpu  1 2 3\nbtime 1700000000\nprocesses 9\n";
        let limits = "Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n";
        let r = parse(stat, boot, limits, (100.0, 4096.0), 12).unwrap();
        assert_eq!(
            r,
            Reading {
                cpu_seconds: 3.0,
                start_time_seconds: 1_700_000_010.0,
                resident_bytes: 2560.0 * 4096.0,
                virtual_bytes: 104_857_600.0,
                open_fds: 12,
                max_fds: 1024,
            }
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn reads_this_process() {
        let r = Process::new().read().unwrap();
        assert!(r.resident_bytes > 1e6 && r.open_fds > 0 && r.max_fds > 0, "{r:?}");
    }
}
