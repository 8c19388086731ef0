//! Faults and membership changes the learner makes: kill, slow, heal, add, remove. Each adds a
//! line to the event log.

use super::lab::LoadBalancingLab;
use super::server::Server;
use super::specs::MAX_SERVERS;

impl LoadBalancingLab {
    /// Kills the first alive member: every request in service or queued on it fails (errors) and,
    /// with `local` sessions, every session it holds is lost. It stays marked up, and keeps getting
    /// traffic that fails at once, until the health checker marks it down. Returns its id, `None`
    /// when every member is dead.
    pub fn kill_server(&mut self) -> Option<u32> {
        let now = self.now;
        let slot = self
            .members
            .iter()
            .map(|&s| s as usize)
            .find(|&s| self.servers.get(s).is_some_and(|x| x.alive))?;
        let server = self.servers.get_mut(slot)?;
        server.touch(now);
        server.alive = false;
        server.died_at = Some(now);
        server.failed_checks = 0;
        server.passed_checks = 0;
        let lost_sessions = server.sessions;
        server.sessions = 0;
        server.epoch = server.epoch.wrapping_add(1);
        let mut failed = 0u64;
        while let Some(job) = self.servers.get_mut(slot).and_then(|s| s.queue.pop_front()) {
            self.stats.failed(job.arrived);
            self.loads.dec(job.balancer as usize, slot);
            failed += 1;
        }
        while let Some(serving) = self.servers.get_mut(slot).and_then(|s| s.serving.pop()) {
            self.stats.failed(serving.job.arrived);
            self.loads.dec(serving.job.balancer as usize, slot);
            failed += 1;
        }
        self.stats.sessions_lost(u64::from(lost_sessions));
        let sessions = if self.config.sessions == super::workload::Sessions::Local {
            format!(", {lost_sessions} sessions lost")
        } else {
            String::new()
        };
        self.log(format!("server {slot} killed: {failed} requests failed{sessions}"));
        Some(slot as u32)
    }

    /// Slows the first alive member that is not slow to a tenth of its speed (requests already in
    /// service keep their end time). It still passes health checks: a gray failure. Returns its
    /// id, `None` when there is none.
    pub fn slow_server(&mut self) -> Option<u32> {
        let slot = self
            .members
            .iter()
            .map(|&s| s as usize)
            .find(|&s| self.servers.get(s).is_some_and(|x| x.alive && !x.slow))?;
        let server = self.servers.get_mut(slot)?;
        server.slow = true;
        self.log(format!("server {slot} slowed to a tenth of its speed"));
        Some(slot as u32)
    }

    /// Restarts every dead member, empty (one marked down must pass `healthy_after` checks before
    /// it gets traffic again), and brings every slow one back to full speed. Returns how many
    /// servers changed.
    pub fn heal_servers(&mut self) -> u32 {
        let now = self.now;
        let healthy_after = self.config.healthy_after;
        let mut changed = 0;
        for pos in 0..self.members.len() {
            let Some(slot) = self.members.get(pos).map(|&s| s as usize) else {
                continue;
            };
            let Some(server) = self.servers.get_mut(slot) else {
                continue;
            };
            let (was_dead, was_slow) = (!server.alive, server.slow);
            if !was_dead && !was_slow {
                continue;
            }
            server.touch(now);
            server.alive = true;
            server.slow = false;
            server.died_at = None;
            server.failed_checks = 0;
            server.passed_checks = 0;
            let marked_up = server.marked_up;
            changed += 1;
            let text = match (was_dead, marked_up) {
                (true, false) => {
                    format!("server {slot} restarted: back in rotation after {healthy_after} passed checks")
                }
                (true, true) => format!("server {slot} restarted before it was marked down"),
                _ => format!("server {slot} back to full speed"),
            };
            self.log(text);
        }
        changed
    }

    /// Adds a server of speed 1 at the end of the membership list, marked up at once. A removed
    /// server's slot is reused once it has drained (its id comes back). Returns its id, `None` at
    /// 1,000 members.
    pub fn add_server(&mut self) -> Option<u32> {
        if self.members.len() >= MAX_SERVERS as usize {
            return None;
        }
        let now = self.now;
        let workers = self.config.workers;
        let reusable = (0..self.servers.len()).find(|&s| {
            self.servers
                .get(s)
                .is_some_and(|x| !x.member && x.in_flight() == 0 && self.loads.total(s) == 0)
        });
        let slot = match reusable {
            Some(slot) => {
                let old = self.servers.get_mut(slot)?;
                let lost = old.sessions;
                let epoch = old.epoch.wrapping_add(1);
                *old = Server::new(1.0, workers, now);
                old.epoch = epoch;
                self.stats.sessions_lost(u64::from(lost));
                self.loads.reset_others(slot);
                slot
            }
            None => {
                self.servers.push(Server::new(1.0, workers, now));
                self.loads.add_slot();
                self.servers.len() - 1
            }
        };
        for balancer in &mut self.balancers {
            balancer.reset_slot(slot);
        }
        self.members.push(slot as u32);
        self.sync_routable(slot);
        self.log(format!("server {slot} added ({} servers)", self.members.len()));
        Some(slot as u32)
    }

    /// Removes the last member: it takes no more requests and finishes those it holds (draining).
    /// The membership changes, so `ip_hash` moves clients. Returns its id, `None` when it is the
    /// only member.
    pub fn remove_server(&mut self) -> Option<u32> {
        if self.members.len() <= 1 {
            return None;
        }
        let now = self.now;
        let slot = self.members.pop()? as usize;
        let server = self.servers.get_mut(slot)?;
        server.touch(now);
        server.member = false;
        let draining = server.in_flight();
        self.sync_routable(slot);
        self.log(format!(
            "server {slot} removed ({} servers), draining {draining} requests",
            self.members.len()
        ));
        Some(slot as u32)
    }
}
