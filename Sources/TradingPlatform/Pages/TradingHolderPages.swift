import Foundation
import Hummingbird
import ZhaocaiDomain
import ZhaocaiWeb

/// A key holder's release of its shares in its own browser (办法28): the page names the bids
/// and the holder's public key from the notice; holder-release.js opens the shares with the
/// holder's key file on its machine and sends only the shares, which the API's handler checks
/// and records as `zhaocai holder release` does.
extension TradingPages {
  func holderReleasePage(_ id: String, _ visit: PageVisit, host: String?) async throws -> Response {
    guard let account = Caller.current.account else { return try signInPage(visit) }
    let view = try PageCall.value(await api.getSection(.init(path: .init(sectionID: id)))) {
      try $0.ok.body.json
    }
    guard account.role == .keyHolder,
      let holder = view.schedule?.keyHolders.first(where: { $0.name == account.id })
    else {
      throw Problem.forbidden("only a key holder of this section releases its shares here")
    }
    let released = view.releasedHolders?.contains(account.id) ?? false
    let due = view.phase == "opening" && !released
    let bidders = view.bids.map(\.bidder).sorted()
    let values: [String: Any] = [
      "id": id, "name": view.terms.name, "sectionHref": "/sections/\(id)",
      "holder": account.id, "holderKey": holder.sealingKey, "suite": holder.suite.rawValue,
      "bidders": bidders,
      "biddersJSON": String(
        decoding: try JSONSerialization.data(withJSONObject: bidders), as: UTF8.self),
      "count": bidders.count, "due": due, "released": released,
      "waiting": view.phase == "bidding",
      "command": "zhaocai holder release --platform \(Self.apiBase(host, secure: visit.secure)) "
        + "--section \(id) --name \(account.id) --key 您的密钥文件.key",
    ]
    return try render(
      "holder-release", visit, title: "释放开标密钥份额", english: "Release key shares",
      values: values)
  }

  /// The shares the page opened, recorded through the API's handler as the signed-in holder.
  func holderShares(on router: Router<AddressedRequestContext>) {
    router.post("/sections/:id/holder-shares") { request, context in
      let id = context.parameters.get("id") ?? ""
      var request = request
      let body: Data
      do {
        body = Data(buffer: try await request.collectBody(upTo: 256 << 10))
      } catch {
        return Self.problem(Problem.badBody)
      }
      return await uploadStep(request, PageVisit(request), bidderOnly: false) { _ in
        guard let holder = Caller.current.account, holder.role == .keyHolder else {
          throw Problem.forbidden("only a key holder releases shares")
        }
        let shares = try JSONDecoder().decode(
          Operations.releaseShares.Input.Body.jsonPayload.self, from: body)
        let output = try await api.releaseShares(
          .init(path: .init(sectionID: id, holder: holder.id), body: .json(shares)))
        guard case .ok(let ok) = output, case .json(let view) = ok.body else {
          return (.ok, nil, PageCall.refusal(in: output))
        }
        return (.ok, try JSONEncoder().encode(view), nil)
      }
    }
  }
}
