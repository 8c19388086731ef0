//! Reads: routing, the session-token wait, and the checks of every answer (stale,
//! read-your-writes, monotonic reads).

use super::lab::{Event, ReplicationLab, WaitKey, MAX_WAITING};
use super::routing::Routing;
use super::session::{EventKind, ReadRequest, SessionEvent, TRACKED_SESSIONS};
use super::stats::ReadClass;
use crate::engine::time::{from_millis, to_millis, to_secs};

/// Where a read goes.
enum Route {
    Primary,
    /// A replica (index) answers now.
    Replica(usize),
    /// The read waits for this replica (index) to reach the session token.
    Wait(usize),
}

impl ReplicationLab {
    fn random_replica(&mut self) -> Option<usize> {
        let running: Vec<usize> = (0..self.replicas.len())
            .filter(|&i| !self.replicas[i].stopped)
            .collect();
        if running.is_empty() {
            return None;
        }
        running.get(self.routes.below(running.len() as u64) as usize).copied()
    }

    fn route(&mut self, session: usize) -> Route {
        let now = self.now();
        let s = self.sessions.get(session).cloned().unwrap_or_default();
        let replica = |i: Option<usize>| i.map_or(Route::Primary, Route::Replica);
        match self.config.routing {
            Routing::Replica => replica(self.random_replica()),
            Routing::Primary => Route::Primary,
            Routing::PrimaryAfterWrite => {
                let window = from_millis(self.config.window_ms);
                match s.last_write_at {
                    Some(at) if now.saturating_sub(at) < window => Route::Primary,
                    _ => replica(self.random_replica()),
                }
            }
            Routing::Sticky => {
                let current = s
                    .sticky
                    .and_then(|id| self.replicas.iter().position(|r| r.id == id && !r.stopped));
                if current.is_some() {
                    return replica(current);
                }
                let pick = self.random_replica();
                if let (Some(i), Some(state)) = (pick, self.sessions.get_mut(session)) {
                    state.sticky = Some(self.replicas[i].id);
                }
                replica(pick)
            }
            Routing::SessionToken => match self.random_replica() {
                None => Route::Primary,
                Some(i) if self.replicas[i].applied >= s.token() => Route::Replica(i),
                Some(i) if self.config.token_wait_ms > 0.0 && self.waiting.len() < MAX_WAITING => Route::Wait(i),
                Some(_) => Route::Primary,
            },
        }
    }

    pub(super) fn on_read(&mut self) {
        let session = self.pick_session(1);
        let Some(s) = self.sessions.get(session as usize) else {
            return;
        };
        let request = ReadRequest {
            session,
            issued: self.now(),
            own_write: s.last_write,
            seen: s.last_read,
            committed: self.committed,
        };
        let token = s.token();
        match self.route(session as usize) {
            Route::Primary => self.answer(request, None, false),
            Route::Replica(i) => self.answer(request, Some(i), false),
            Route::Wait(i) => {
                let id = self.replicas[i].id;
                self.wait_seq += 1;
                let key = (id, token, self.wait_seq);
                self.waiting.insert(key, request);
                let at = self.now().saturating_add(from_millis(self.config.token_wait_ms));
                self.sched.schedule_at(at, Event::ReadTimeout { key });
            }
        }
    }

    /// Answers the reads waiting on replica `id` whose token it has now applied.
    pub(super) fn wake_waiting(&mut self, id: u32) {
        let Some(index) = self.replicas.iter().position(|r| r.id == id) else {
            return;
        };
        let applied = self.replicas[index].applied;
        let ready: Vec<WaitKey> = self
            .waiting
            .range((id, 0, 0)..=(id, applied, u64::MAX))
            .map(|(k, _)| *k)
            .collect();
        for key in ready {
            if let Some(request) = self.waiting.remove(&key) {
                self.answer(request, Some(index), true);
            }
        }
    }

    pub(super) fn on_read_timeout(&mut self, key: WaitKey) {
        if let Some(request) = self.waiting.remove(&key) {
            self.stats.token_timeouts += 1;
            self.answer(request, None, true);
        }
    }

    /// Every waiting read goes to the primary now (a failover interrupted them).
    pub(super) fn release_waiting(&mut self) {
        let all = std::mem::take(&mut self.waiting);
        for (_, request) in all {
            self.answer(request, None, true);
        }
    }

    /// Replica `node` (index; `None`: the primary) answers `request` now; `waited` says whether
    /// it waited for a session token first. Checks the answer and records it.
    fn answer(&mut self, request: ReadRequest, node: Option<usize>, waited: bool) {
        let now = self.now();
        let (node_id, position) = match node.and_then(|i| self.replicas.get(i)) {
            Some(r) => (r.id, r.applied),
            None => (self.primary_id, self.head),
        };
        let service_ms = match self.read_time {
            Some(d) => d.sample(&mut self.service),
            None => 0.0,
        };
        let latency = to_millis(now.saturating_sub(request.issued)) + service_ms;
        let Some(s) = self.sessions.get_mut(request.session as usize) else {
            return;
        };
        let stale = position < request.committed;
        let ryw = position < request.own_write;
        let monotonic = position < request.seen;
        s.last_read = s.last_read.max(position);
        let class = match (node, waited) {
            (None, _) => ReadClass::Primary,
            (Some(_), true) => ReadClass::Waited,
            (Some(_), false) => ReadClass::Replica,
        };
        if let Some(r) = node.and_then(|i| self.replicas.get_mut(i)) {
            r.reads += 1;
        }
        let st = &mut self.stats;
        st.reads += 1;
        st.stale_reads += u64::from(stale);
        st.ryw_violations += u64::from(ryw);
        st.monotonic_violations += u64::from(monotonic);
        st.primary_reads += u64::from(node.is_none());
        st.waited_reads += u64::from(waited);
        st.read_latency_ms[class as usize].record(latency);
        if request.session < TRACKED_SESSIONS {
            self.remember(SessionEvent {
                t_s: to_secs(now),
                session: request.session,
                kind: EventKind::Read,
                node: node_id,
                by_primary: node.is_none(),
                position,
                own_write: request.own_write,
                seen: request.seen,
                latency_ms: latency,
                waited,
                stale,
                ryw_violation: ryw,
                monotonic_violation: monotonic,
            });
        }
    }
}
