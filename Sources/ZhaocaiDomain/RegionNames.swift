/// Names of administrative divisions by their GB/T 2260 code, as pages show them: every
/// province-level division, and the prefectures and districts of Fujian, where the platforms run.
/// A code the table lacks is named by its nearest listed parent ("福州市 350199").
public enum RegionNames {
  /// The division's name: the code's own if listed, else the prefecture's or province's name
  /// followed by the code, else the code itself.
  public static func name(of code: String) -> String {
    if let name = names[code] { return name }
    guard code.count == 6, code.allSatisfy(\.isASCIIDigit) else { return code }
    if let prefecture = names[String(code.prefix(4)) + "00"] { return "\(prefecture) \(code)" }
    if let province = names[String(code.prefix(2)) + "0000"] { return "\(province) \(code)" }
    return code
  }

  /// Every listed division, code first, in code order (for a region filter).
  public static var all: [(code: String, name: String)] {
    names.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  static let names: [String: String] = [
    "110000": "北京市", "120000": "天津市", "130000": "河北省", "140000": "山西省",
    "150000": "内蒙古自治区", "210000": "辽宁省", "220000": "吉林省", "230000": "黑龙江省",
    "310000": "上海市", "320000": "江苏省", "330000": "浙江省", "340000": "安徽省",
    "350000": "福建省", "360000": "江西省", "370000": "山东省", "410000": "河南省",
    "420000": "湖北省", "430000": "湖南省", "440000": "广东省", "450000": "广西壮族自治区",
    "460000": "海南省", "500000": "重庆市", "510000": "四川省", "520000": "贵州省",
    "530000": "云南省", "540000": "西藏自治区", "610000": "陕西省", "620000": "甘肃省",
    "630000": "青海省", "640000": "宁夏回族自治区", "650000": "新疆维吾尔自治区",
    "710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区",
    // 福建省
    "350100": "福州市", "350102": "福州市鼓楼区", "350103": "福州市台江区",
    "350104": "福州市仓山区", "350105": "福州市马尾区", "350111": "福州市晋安区",
    "350112": "福州市长乐区", "350200": "厦门市", "350203": "厦门市思明区",
    "350205": "厦门市海沧区", "350206": "厦门市湖里区", "350211": "厦门市集美区",
    "350212": "厦门市同安区", "350213": "厦门市翔安区", "350300": "莆田市", "350400": "三明市",
    "350500": "泉州市", "350600": "漳州市", "350700": "南平市", "350800": "龙岩市",
    "350900": "宁德市", "360100": "南昌市",
  ]
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
