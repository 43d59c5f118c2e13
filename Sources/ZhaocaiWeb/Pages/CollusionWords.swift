import ZhaocaiDomain

/// The 条例40 findings as the evaluation room lists them: the sign in the law's words, the
/// bidders, the strength, and each piece of evidence with the field it matched in words.
public enum CollusionWords {
  static let fields: [String: (String, String)] = [
    "deviceFingerprint": ("编制设备指纹", "preparing machine"),
    "sha256": ("相同文件（SHA-256）", "identical file (SHA-256)"),
    "w:rsidRoot": ("Word文档根修订标识 w:rsidRoot", "Word root revision id w:rsidRoot"),
    "w:rsid": ("Word文档修订标识 w:rsid", "Word revision ids w:rsid"),
    "w14:docId": ("Word文档标识 w14:docId", "Word document id w14:docId"),
    "w15:docId": ("Word文档标识 w15:docId", "Word document id w15:docId"),
    "pdf:ID": ("PDF文件标识 /ID", "PDF file id /ID"),
    "xmp:DocumentID": ("PDF文档标识 xmpMM:DocumentID", "PDF document id xmpMM:DocumentID"),
    "author": ("文档作者", "document author"),
    "creatingTool": ("仅此二者使用的编制软件及版本", "creating tool and build only these two used"),
    "lastModifiedBy": ("最后修改人", "last modified by"),
    "account": ("操作账号", "operator account"),
    "device": ("上传设备", "uploading device"),
    "address": ("上传IP地址", "uploading address"),
    "projectManagerID": ("项目负责人", "project manager"),
    "keyStaff": ("主要人员", "key staff"),
    "sharedText": ("相同内容（占较短者比例、片段数）", "shared text (share of the shorter, shingles)"),
    "passages": ("相同段落", "shared passages"),
    "pricePattern": ("报价规律", "price pattern"),
    "prices": ("报价", "prices"),
    "ratioToEstimate": ("报价与估算价之比", "ratio to the estimate"),
    "text": ("文件中出现其他投标人", "another bidder inside the file"),
    "company": ("文档单位属性", "document company property"),
    "holder": ("文件所属投标人", "bidder whose files hold it"),
    "bondAccount": ("保证金转出账户", "bond paid from account"),
  ]

  public static func rows(_ findings: [CollusionFinding], _ language: PageLanguage) -> [[String:
    Any]]
  {
    let zh = language == .zh
    return findings.map { finding in
      [
        "sign": zh ? finding.sign.rule.chinese : finding.sign.rule.english,
        "code": finding.sign.rule.code, "article": finding.sign.rule.article,
        "bidders": finding.bidders.joined(separator: zh ? "、" : ", "),
        "strength": strength(finding.strength, zh), "level": finding.strength.rawValue,
        "evidence": finding.evidence.map { item -> [String: Any] in
          let label = fields[item.field].map { zh ? $0.0 : $0.1 } ?? item.field
          // A price pattern is written in both languages (English, Chinese): one is shown.
          let values =
            item.field == "pricePattern" && item.values.count == 2
            ? [item.values[zh ? 1 : 0]] : item.values
          return [
            "field": label, "values": values.joined(separator: " ｜ "),
            "files": item.files.joined(separator: zh ? "、" : ", "),
          ]
        },
      ]
    }
  }

  /// Which opened files the signs could read, in the page's language.
  public static func formats(_ language: PageLanguage) -> String {
    language == .zh
      ? "已读取的文件格式：.docx、.xlsx、PDF（文字、文档信息与文件标识）、纯文本（UTF-8、UTF-16）；未读取：.doc、.xls、.wps、.et、.ofd、图片及扫描件、压缩包、加密文件。"
      : "Files read: .docx, .xlsx, PDF (text, document information and file ids), plain text (UTF-8, UTF-16); not read: .doc, .xls, .wps, .et, .ofd, images and scans, archives, encrypted files."
  }

  private static func strength(_ strength: FindingStrength, _ zh: Bool) -> String {
    switch strength {
    case .strong: zh ? "强" : "strong"
    case .moderate: zh ? "中" : "moderate"
    case .weak: zh ? "弱" : "weak"
    }
  }
}
