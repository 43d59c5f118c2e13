import Testing

@testable import ZhaocaiDomain

/// A supervisory department sees the sections of its industry in its region and those below it.
@Suite struct RemitTests {
  let fujian = Department(id: "fj-zj", name: "福建省住房和城乡建设厅", industry: "住建", region: "350000")
  let fuzhou = Department(id: "fz-zj", name: "福州市城乡建设局", industry: "住建", region: "350100")
  let gulou = Department(id: "gl-zj", name: "鼓楼区住房和城乡建设局", industry: "住建", region: "350102")

  @Test func aProvinceSeesEveryCityAndCountyOfItsProvince() {
    #expect(fujian.level == .province)
    #expect(fujian.covers(industry: "住建", region: "350000"))
    #expect(fujian.covers(industry: "住建", region: "350100"))  // Fuzhou
    #expect(fujian.covers(industry: "住建", region: "350203"))  // Siming, Xiamen
    #expect(!fujian.covers(industry: "住建", region: "360100"))  // Nanchang, Jiangxi
  }

  @Test func aCitySeesItsCountiesButNotAnotherCity() {
    #expect(fuzhou.level == .city)
    #expect(fuzhou.covers(industry: "住建", region: "350100"))
    #expect(fuzhou.covers(industry: "住建", region: "350102"))
    #expect(!fuzhou.covers(industry: "住建", region: "350203"))  // Xiamen's
    #expect(!fuzhou.covers(industry: "住建", region: "350000"))  // the province's own sections
  }

  @Test func aCountySeesOnlyItself() {
    #expect(gulou.level == .county)
    #expect(gulou.covers(industry: "住建", region: "350102"))
    #expect(!gulou.covers(industry: "住建", region: "350103"))
    #expect(!gulou.covers(industry: "住建", region: "350100"))
  }

  @Test func anotherIndustryIsNeverSeen() {
    let transport = Department(
      id: "fj-jt", name: "福建省交通运输厅", industry: "交通", region: "350000")
    #expect(transport.covers(industry: "交通", region: "350102"))
    #expect(!transport.covers(industry: "住建", region: "350102"))
    #expect(!fujian.covers(industry: "交通", region: "350102"))
  }

  @Test func aDepartmentIsCheckedBeforeItIsRegistered() throws {
    #expect(try fuzhou.validated() == fuzhou)
    for region in ["35010", "3501000", "35010A", "３５０１００"] {
      #expect(throws: DomainError.self) {
        try Department(id: "x", name: "某局", industry: "住建", region: region).validated()
      }
      #expect(!fujian.covers(industry: "住建", region: region))
    }
    #expect(throws: DomainError.self) {
      try Department(id: "x", name: " ", industry: "住建", region: "350100").validated()
    }
    #expect(throws: DomainError.self) {
      try Department(id: "x", name: "某局", industry: "", region: "350100").validated()
    }
  }
}
