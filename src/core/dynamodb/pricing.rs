//! DynamoDB prices as versioned data, and monthly cost for a workload.
//!
//! Only tables with checked figures exist; there is no fallback price. Standard-IA and other
//! regions are not in a table yet, so the calculator does not offer them.

/// One price table: a region, the date its prices took effect, and where they come from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PriceTable {
    pub id: &'static str,
    pub region: &'static str,
    pub table_class: &'static str,
    pub effective: &'static str,
    pub checked: &'static str,
    pub source: &'static str,
    /// Provisioned capacity, per unit-hour.
    pub wcu_hour: f64,
    pub rcu_hour: f64,
    /// On-demand, per million request units.
    pub wru_million: f64,
    pub rru_million: f64,
    /// Storage per GB-month, and the free allowance.
    pub storage_gb_month: f64,
    pub free_storage_gb: f64,
    /// Always-free provisioned capacity.
    pub free_wcu: u64,
    pub free_rcu: u64,
    /// Bytes of indexing overhead DynamoDB adds to every stored item.
    pub item_overhead_bytes: u64,
}

/// us-east-1, Standard table class. On-demand prices as lowered in November 2024.
pub const US_EAST_1_STANDARD: PriceTable = PriceTable {
    id: "dynamodb/us-east-1/standard/2024-11",
    region: "us-east-1 (N. Virginia)",
    table_class: "Standard",
    effective: "2024-11-01",
    checked: "2026-11-21",
    source: "https://aws.amazon.com/dynamodb/pricing/",
    wcu_hour: 0.00065,
    rcu_hour: 0.00013,
    wru_million: 0.625,
    rru_million: 0.125,
    storage_gb_month: 0.25,
    free_storage_gb: 25.0,
    free_wcu: 25,
    free_rcu: 25,
    item_overhead_bytes: 100,
};

/// Every table the calculator may use.
pub const TABLES: &[PriceTable] = &[US_EAST_1_STANDARD];

/// Bytes in a billed GB (DynamoDB bills storage in GiB-sized GB).
pub const GB: f64 = 1024.0 * 1024.0 * 1024.0;

// On-demand request units round exactly like capacity units: use `capacity::get_item` and
// `capacity::write_item` for the units of one request.

/// Monthly request units of a workload, and its peak capacity need.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Usage {
    pub rru_month: f64,
    pub wru_month: f64,
    /// Capacity units needed at the average rate (RCU, WCU).
    pub rcu: f64,
    pub wcu: f64,
    pub items: u64,
    pub data_bytes: u64,
}

/// The monthly bill, line by line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bill {
    pub on_demand_reads: f64,
    pub on_demand_writes: f64,
    pub provisioned_rcu: u64,
    pub provisioned_wcu: u64,
    pub provisioned_reads: f64,
    pub provisioned_writes: f64,
    pub storage_gb: f64,
    pub storage: f64,
}

impl Bill {
    pub fn on_demand(&self) -> f64 {
        self.on_demand_reads + self.on_demand_writes + self.storage
    }
    pub fn provisioned(&self) -> f64 {
        self.provisioned_reads + self.provisioned_writes + self.storage
    }
}

/// Prices a workload both ways. Provisioned capacity is sized so that the average load uses
/// `utilization` of it (autoscaling targets 70% by default), and the always-free 25 RCU and
/// 25 WCU are deducted.
pub fn bill(t: &PriceTable, u: &Usage, utilization: f64, month_hours: f64) -> Bill {
    let prov_rcu = (u.rcu / utilization - 1e-9).ceil().max(0.0) as u64;
    let prov_wcu = (u.wcu / utilization - 1e-9).ceil().max(0.0) as u64;
    // In f64: items × overhead in u64 overflows past 1.8 × 10^17 items (validated
    // workloads stop at 10^13, but a `Usage` can be built by hand).
    let storage_gb = (u.data_bytes as f64 + u.items as f64 * t.item_overhead_bytes as f64) / GB;
    Bill {
        on_demand_reads: u.rru_month / 1e6 * t.rru_million,
        on_demand_writes: u.wru_month / 1e6 * t.wru_million,
        provisioned_rcu: prov_rcu,
        provisioned_wcu: prov_wcu,
        provisioned_reads: prov_rcu.saturating_sub(t.free_rcu) as f64 * t.rcu_hour * month_hours,
        provisioned_writes: prov_wcu.saturating_sub(t.free_wcu) as f64 * t.wcu_hour * month_hours,
        storage_gb,
        storage: (storage_gb - t.free_storage_gb).max(0.0) * t.storage_gb_month,
    }
}

/// The utilization at which provisioned capacity costs the same as on-demand, for reads
/// and for writes (ignoring free tiers): unit-hour price / (3,600 request units' price).
pub fn break_even_utilization(t: &PriceTable) -> (f64, f64) {
    (
        t.rcu_hour / (3600.0 * t.rru_million / 1e6),
        t.wcu_hour / (3600.0 * t.wru_million / 1e6),
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T: PriceTable = US_EAST_1_STANDARD;

    #[test]
    fn storage_of_any_item_count_does_not_overflow() {
        let u = Usage {
            items: u64::MAX,
            data_bytes: u64::MAX,
            ..Default::default()
        };
        let b = bill(&T, &u, 0.7, 730.0);
        let expect = (u64::MAX as f64 * (1.0 + T.item_overhead_bytes as f64)) / GB;
        assert!(close(b.storage_gb, expect), "{}", b.storage_gb);
        assert!(b.storage.is_finite() && b.storage > 0.0);
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn every_table_names_its_source_and_dates() {
        for t in TABLES {
            assert!(t.source.starts_with("https://aws.amazon.com/"));
            assert!(t.effective.len() == 10 && t.checked.len() == 10);
            assert!(t.wcu_hour > 0.0 && t.rru_million > 0.0);
        }
    }

    #[test]
    fn on_demand_against_provisioned() {
        // Break-even: 0.00013 / (3600 × 0.125e-6) = 28.9% for reads, the same for writes.
        let (r, w) = break_even_utilization(&T);
        assert!(close(r, 0.00013 / 0.00045) && close(w, 0.00065 / 0.00225));
        assert!((r - 0.2889).abs() < 1e-4);
        // At full utilization on-demand costs 3.46× provisioned (the notes' "2.5×" is outdated).
        assert!((1.0 / r - 3.4615).abs() < 1e-3);
    }

    #[test]
    fn a_worked_month() {
        // 100 strongly consistent 4 KB reads/s and 10 1 KB writes/s for a 730-hour month.
        let secs = 730.0 * 3600.0;
        let u = Usage {
            rru_month: 100.0 * secs,
            wru_month: 10.0 * secs,
            rcu: 100.0,
            wcu: 10.0,
            items: 1_000_000,
            data_bytes: 1_000_000_000,
        };
        let b = bill(&T, &u, 1.0, 730.0);
        assert!(close(b.on_demand_reads, 262_800_000.0 / 1e6 * 0.125)); // $32.85
        assert!(close(b.on_demand_writes, 26_280_000.0 / 1e6 * 0.625)); // $16.425
                                                                        // Provisioned: (100 − 25) RCU × 0.00013 × 730 = $7.1175; 10 WCU are within the free 25.
        assert!(close(b.provisioned_reads, 75.0 * 0.00013 * 730.0));
        assert_eq!(b.provisioned_writes, 0.0);
        // 1 GB of data + 100 MB of overhead stays inside the free 25 GB.
        assert_eq!(b.storage, 0.0);
        // At 70% utilization provisioned capacity rounds up: 100 / 0.7 → 143 RCU.
        assert_eq!(bill(&T, &u, 0.7, 730.0).provisioned_rcu, 143);
    }

    #[test]
    fn storage_beyond_the_free_25_gb() {
        let u = Usage {
            data_bytes: 125 * 1024 * 1024 * 1024,
            ..Default::default()
        };
        let b = bill(&T, &u, 0.7, 730.0);
        assert!(close(b.storage, 100.0 * 0.25));
        assert_eq!(
            b.on_demand(),
            b.provisioned(),
            "zero traffic costs only storage, either way"
        );
    }

    proptest! {
        #[test]
        fn cost_never_decreases_when_usage_grows(r in 0.0f64..1e9, w in 0.0f64..1e9, dr in 0.0f64..1e8, dw in 0.0f64..1e8, items in 0u64..1_000_000_000, bytes in 0u64..1u64 << 42) {
            let a = Usage { rru_month: r, wru_month: w, rcu: r / 2.628e6, wcu: w / 2.628e6, items, data_bytes: bytes };
            let b = Usage { rru_month: r + dr, wru_month: w + dw, rcu: (r + dr) / 2.628e6, wcu: (w + dw) / 2.628e6, items: items + 1, data_bytes: bytes + 1 };
            let (ba, bb) = (bill(&T, &a, 0.7, 730.0), bill(&T, &b, 0.7, 730.0));
            prop_assert!(bb.on_demand() >= ba.on_demand() && bb.provisioned() >= ba.provisioned());
        }

        #[test]
        fn zero_traffic_costs_only_storage(items in 0u64..1_000_000_000, bytes in 0u64..1u64 << 44) {
            let b = bill(&T, &Usage { items, data_bytes: bytes, ..Default::default() }, 0.7, 730.0);
            prop_assert_eq!(b.on_demand(), b.storage);
            prop_assert_eq!(b.provisioned(), b.storage);
        }
    }
}
