//! Sharing a topic's partitions among a group's live consumers.

/// The strategy, as Kafka names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Assignment {
    /// Contiguous runs of partitions: with 5 partitions and 2 consumers, 0–2 and 3–4.
    #[default]
    Range,
    /// Partitions dealt out in turn: with 5 partitions and 2 consumers, 0,2,4 and 1,3.
    RoundRobin,
}

/// The owner of each partition (`None` when no consumer is alive), given which consumers are alive.
pub fn assign(strategy: Assignment, partitions: usize, alive: &[bool]) -> Vec<Option<usize>> {
    let live: Vec<usize> = (0..alive.len()).filter(|&c| alive[c]).collect();
    if live.is_empty() {
        return vec![None; partitions];
    }
    let n = live.len();
    (0..partitions)
        .map(|p| {
            Some(match strategy {
                Assignment::RoundRobin => live[p % n],
                Assignment::Range => {
                    // The first `partitions % n` consumers take one extra partition.
                    let base = partitions / n;
                    let extra = partitions % n;
                    let boundary = extra * (base + 1);
                    let index = if p < boundary {
                        p / (base + 1)
                    } else {
                        extra + (p - boundary) / base.max(1)
                    };
                    live[index.min(n - 1)]
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_gives_contiguous_runs_and_round_robin_deals_in_turn() {
        let all = [true, true];
        assert_eq!(
            assign(Assignment::Range, 5, &all),
            [Some(0), Some(0), Some(0), Some(1), Some(1)]
        );
        assert_eq!(
            assign(Assignment::RoundRobin, 5, &all),
            [Some(0), Some(1), Some(0), Some(1), Some(0)]
        );
    }

    #[test]
    fn only_live_consumers_get_partitions() {
        assert_eq!(
            assign(Assignment::Range, 3, &[false, true, true]),
            [Some(1), Some(1), Some(2)]
        );
        assert_eq!(assign(Assignment::Range, 2, &[false, false]), [None, None]);
        assert_eq!(
            assign(Assignment::Range, 2, &[true, true, true]),
            [Some(0), Some(1)]
        );
    }
}
