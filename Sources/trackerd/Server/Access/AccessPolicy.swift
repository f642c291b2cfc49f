import Events
import Glibc

/// Maps a caller's uid and gid (from `SO_PEERCRED`) to a role, and to the agencies it may act
/// for when its entry names some (`clerk of BDT, SVHTTDL`), from the configuration.
///
/// The daemon's own user is always admin of every agency. A user's own entry wins over their
/// groups'; among groups the highest role wins (the agencies of every group entry of that role
/// together, or every agency if one of them names none); without either, `defaultRole` applies
/// (nil: no access), for every agency.
struct AccessPolicy: Sendable {
    /// A role, for some agencies or (scope nil) for all.
    struct Grant: Sendable, Equatable {
        var role: Role
        var scope: AgencyScope?
    }

    var daemonUID: UInt32 = getuid()
    var users: [UInt32: Grant] = [:]
    var groups: [UInt32: Grant] = [:]
    var defaultRole: Role? = .viewer

    func role(uid: UInt32, gid: UInt32) -> Role? { grant(uid: uid, gid: gid)?.role }

    func grant(uid: UInt32, gid: UInt32) -> Grant? {
        if uid == daemonUID { return Grant(role: .admin, scope: nil) }
        if let grant = users[uid] { return grant }
        var best: Grant? = groups[gid]
        for group in supplementaryGroups(of: uid) where group != gid {
            guard let grant = groups[group] else { continue }
            guard let current = best else { best = grant; continue }
            if grant.role > current.role {
                best = grant
            } else if grant.role == current.role {
                // Every agency when either names none.
                if let mine = current.scope, let theirs = grant.scope { best?.scope = mine.union(theirs) } else { best?.scope = nil }
            }
        }
        return best ?? defaultRole.map { Grant(role: $0, scope: nil) }
    }

    private func supplementaryGroups(of uid: UInt32) -> [UInt32] {
        guard !groups.isEmpty else { return [] }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 1024)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, let result, let name = result.pointee.pw_name else { return [] }
        var count: Int32 = 64
        var list = [gid_t](repeating: 0, count: Int(count))
        guard getgrouplist(name, result.pointee.pw_gid, &list, &count) >= 0 else { return [] }
        return Array(list.prefix(Int(count)))
    }
}
