"""The domain's words: status codes (QCVN 102), priorities, signature problems, the hub's
refusals and the lessons. key -> (Vietnamese, English)."""

from __future__ import annotations

__all__ = ["DOMAIN"]

_STATUSES = {
    "status.01": ("Đã đến", "Arrived"),
    "status.02": ("Từ chối, trả lại", "Returned"),
    "status.03": ("Đã tiếp nhận, vào sổ", "Registered"),
    "status.04": ("Đã phân công", "Assigned"),
    "status.05": ("Đang xử lý", "Processing"),
    "status.06": ("Hoàn thành", "Finished"),
    "status.13": ("Đề nghị thu hồi", "Recall requested"),
    "status.15": ("Đồng ý thu hồi", "Recall agreed"),
    "status.16": ("Từ chối thu hồi", "Recall refused"),
    "answer.02": ("Trả lại", "Return"),
    "answer.03": ("Vào sổ văn bản đến", "Register"),
    "answer.04": ("Phân công xử lý", "Assign"),
    "answer.05": ("Đang xử lý", "Processing"),
    "answer.06": ("Hoàn thành", "Finish"),
    "answer.15": ("Đồng ý thu hồi", "Agree to the recall"),
    "answer.16": ("Từ chối thu hồi", "Refuse the recall"),
    "priority.0": ("Thường", "Normal"),
    "priority.1": ("Khẩn", "Urgent"),
    "priority.2": ("Thượng khẩn", "Very urgent"),
    "priority.3": ("Hỏa tốc", "Flash"),
    "priority.4": ("Hỏa tốc hẹn giờ", "Flash, timed"),
}

_PROBLEMS = {
    "problem.tampered": (
        "văn bản đã bị sửa sau khi ký",
        "the document was changed after it was signed",
    ),
    "problem.signature_invalid": ("giá trị chữ ký sai", "the signature value does not verify"),
    "problem.signature_mismatch": (
        "chữ ký được làm cho văn bản khác",
        "the signature was made for another document",
    ),
    "problem.unknown_issuer": (
        "chứng thư không do CA tin cậy cấp",
        "no trusted CA issued the certificate",
    ),
    "problem.untrusted_chain": ("chuỗi chứng thư không tin cậy", "the chain is not trusted"),
    "problem.expired": ("chứng thư số đã hết hạn khi ký", "the certificate had expired"),
    "problem.not_yet_valid": ("chứng thư số chưa có hiệu lực", "the certificate was not yet valid"),
    "problem.revoked": ("chứng thư số đã bị thu hồi", "the certificate was revoked"),
    "problem.revocation_unknown": (
        "không có danh sách thu hồi (CRL) mới",
        "no current revocation list (CRL)",
    ),
    "problem.weak_algorithm": ("thuật toán yếu (SHA-1)", "a weak algorithm (SHA-1)"),
    "problem.unsigned": ("văn bản chưa được ký", "the document is not signed"),
    "problem.person_signature_missing": (
        "thiếu chữ ký của người có thẩm quyền",
        "the competent person's signature is missing",
    ),
    "problem.organisation_signature_missing": (
        "thiếu chữ ký số của cơ quan",
        "the organisation's signature is missing",
    ),
    "problem.agency_mismatch": (
        "người ký và cơ quan không khớp",
        "the signer and the organisation do not match",
    ),
    "problem.signature_order": (
        "cơ quan ký trước người có thẩm quyền",
        "the organisation signed before the competent person",
    ),
    "problem.malformed": ("chữ ký bị hỏng, không đọc được", "the signature cannot be read"),
    "problem.unverifiable_certificate": (
        "chứng thư số trong chữ ký không đọc được",
        "the certificate in the signature cannot be read",
    ),
    "problem.unsupported_algorithm": ("thuật toán không được hỗ trợ", "an unsupported algorithm"),
    "problem.other": ("chữ ký không kiểm tra được", "the signatures cannot be checked"),
}

_REFUSALS = {
    "refusal.document_secret": (
        "Văn bản mật không được gửi qua mạng (Quyết định 28/2018/QĐ-TTg): gửi bản giấy.",
        "Secret documents never travel electronically (Decision 28/2018/QĐ-TTg): send paper.",
    ),
    "refusal.other": (
        "Trục kiểm tra mọi văn bản và từ chối khi không đúng quy định; không có gì được lưu.",
        "The hub checks every document and refuses what breaks the rules; nothing is stored.",
    ),
}

_LESSONS = {
    "lesson.step_sender": ("Nơi gửi:", "Sender:"),
    "lesson.step_hub": ("Trục:", "Hub:"),
    "lesson.step_receiver": ("Nơi nhận:", "Receiver:"),
    "lesson.step_why": ("Vì sao:", "Why:"),
    "lesson.hub_accepted": (
        "nhận văn bản (docId {doc}), chính sách «{policy}»: chuyển tiếp và ghi lại kết quả "
        "kiểm tra chữ ký.",
        "accepted it (docId {doc}); policy '{policy}': delivered, the signature check recorded.",
    ),
    "lesson.hub_recorded": ("Trục ghi nhận: {problem}", "The hub recorded: {problem}"),
    "lesson.hub_refused": (
        "từ chối văn bản và không lưu gì (xem lý do bên dưới).",
        "refused the document and stored nothing (the reason is below).",
    ),
    "lesson.receiver_nothing": ("không nhận được gì.", "received nothing."),
    "lesson.receiver_answered": (
        "Văn thư nơi nhận trả lời {code} qua Trục.",
        "The receiving clerk answered {code} through the hub.",
    ),
    "lesson.tamper.title": ("Sửa một byte của văn bản đã ký", "Tamper with a signed document"),
    "lesson.tamper.teaser": (
        "Ký đủ hai chữ ký, rồi đổi một byte của tệp PDF trên đường gửi.",
        "Both signatures on, then one byte of the PDF changed on the way.",
    ),
    "lesson.tamper.did": (
        "ký số đủ, rồi byte ở vị trí {offset} bị đổi từ {before} thành {after}.",
        "signed in full, then the byte at offset {offset} was changed from {before} to {after}.",
    ),
    "lesson.tamper.why": (
        "Chữ ký số gắn với từng byte của văn bản: sửa một byte là mất tính toàn vẹn. Nghị "
        "định 30/2020 buộc nơi nhận kiểm tra và trả lại văn bản không hợp lệ.",
        "A signature covers every byte: one changed byte breaks integrity. Decree 30/2020 "
        "makes the receiver check and return an invalid document.",
    ),
    "lesson.revoked.title": ("Ký bằng chứng thư đã bị thu hồi", "Sign with a revoked certificate"),
    "lesson.revoked.teaser": (
        "Chứng thư của phó thủ trưởng bị thu hồi (mất token) và CRL mới được công bố.",
        "A deputy's certificate is revoked (a lost token) and a new CRL published.",
    ),
    "lesson.revoked.did": (
        "{signer} ký bằng chứng thư {certificate}, đã bị thu hồi lúc {revoked}.",
        "{signer} signed with certificate {certificate}, revoked at {revoked}.",
    ),
    "lesson.revoked.why": (
        "Nơi nhận tra danh sách thu hồi (CRL) của CA: chứng thư đã thu hồi không còn giá trị, "
        "dù chữ ký vẫn toàn vẹn.",
        "The receiver looks the certificate up in the CA's revocation list: a revoked "
        "certificate is worthless, even though the signature is intact.",
    ),
    "lesson.expired.title": ("Ký bằng chứng thư đã hết hạn", "Sign with an expired certificate"),
    "lesson.expired.teaser": (
        "Phó thủ trưởng ký bằng chứng thư đã hết hạn từ lâu.",
        "A deputy signs with a certificate long expired.",
    ),
    "lesson.expired.did": (
        "{signer} ký bằng chứng thư {certificate}, hiệu lực từ {start} đến {end}.",
        "{signer} signed with certificate {certificate}, valid from {start} to {end}.",
    ),
    "lesson.expired.why": (
        "Chứng thư số chỉ có giá trị trong thời hạn ghi trên nó: ký sau ngày hết hạn thì "
        "chữ ký không hợp lệ.",
        "A certificate is good only within its validity: a signature made after it expired "
        "is invalid.",
    ),
    "lesson.secret.title": ("Gửi văn bản mật", "Send a secret document"),
    "lesson.secret.teaser": (
        "Văn bản đóng dấu «Mật» được ký và gửi lên Trục.",
        "A document marked 'Mật' (secret) is signed and sent to the hub.",
    ),
    "lesson.secret.did": (
        "văn bản độ mật «{level}», số theo dãy số riêng của bài học.",
        "a document marked '{level}', numbered in the lessons' own series.",
    ),
    "lesson.secret.why": (
        "Quyết định 28/2018/QĐ-TTg: văn bản mật không được gửi, nhận qua mạng. Trục từ chối "
        "và không lưu gì; văn bản phải gửi bản giấy.",
        "Decision 28/2018/QĐ-TTg: secret documents never travel over the network. The hub "
        "refuses and stores nothing; the document goes on paper.",
    ),
}

DOMAIN: dict[str, tuple[str, str]] = {**_STATUSES, **_PROBLEMS, **_REFUSALS, **_LESSONS}
