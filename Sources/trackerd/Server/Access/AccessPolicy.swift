import Events
import Glibc

/// Maps a caller's uid and gid (from `SO_PEERCRED`) to a role, from the configuration.
///
/// The daemon's own user is always admin. A user's own entry wins over their group's; among
/// groups the highest role wins; without either, `defaultRole` applies (nil: no access).
struct AccessPolicy: Sendable {
    var daemonUID: UInt32 = getuid()
    var users: [UInt32: Role] = [:]
    var groups: [UInt32: Role] = [:]
    var defaultRole: Role? = .viewer

    func role(uid: UInt32, gid: UInt32) -> Role? {
        if uid == daemonUID { return .admin }
        if let role = users[uid] { return role }
        var best: Role? = groups[gid]
        for group in supplementaryGroups(of: uid) {
            if let role = groups[group], best.map({ role > $0 }) ?? true { best = role }
        }
        return best ?? defaultRole
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
