"""What the clerk should do, in plain words: for each signature problem (the advice shown
with the verdict, and the request written into the 02 reason the sender receives), and for
each refusal of the hub. key -> (Vietnamese, English)."""

from __future__ import annotations

__all__ = ["ADVICE"]

_RESEND = ("gửi lại văn bản đã ký số đúng quy định", "send the document again, properly signed")
_NEW_CERTIFICATE = (
    "ký lại bằng chứng thư số còn hiệu lực rồi gửi lại",
    "sign it again with a valid certificate and send it again",
)

_DO = {
    "advice.tampered": (
        "văn bản đã bị thay đổi trên đường gửi: không vào sổ; trả lại (02) để nơi gửi gửi lại",
        "the document changed on the way: do not register it; return it (02) so the sender "
        "sends it again",
    ),
    "advice.revoked": (
        "chứng thư của người ký đã bị thu hồi: trả lại (02), đề nghị nơi gửi ký lại bằng chứng "
        "thư còn hiệu lực",
        "the signer's certificate was revoked: return it (02) and ask the sender to sign again "
        "with a valid certificate",
    ),
    "advice.expired": (
        "chứng thư đã hết hạn khi ký: trả lại (02), đề nghị nơi gửi ký lại bằng chứng thư mới",
        "the certificate had expired when it signed: return it (02) and ask for a new signature",
    ),
    "advice.other": (
        "không vào sổ văn bản không hợp lệ: trả lại (02) và nêu lý do",
        "do not register an invalid document: return it (02) with the reason",
    ),
    "advice.valid": (
        "chữ ký hợp lệ: vào sổ văn bản đến (03) trong ngày",
        "the signatures hold: register it (03) the same day",
    ),
}

_REQUEST = {  # what the returning agency asks the sender, always in Vietnamese in the 02
    "request.tampered": _RESEND,
    "request.revoked": _NEW_CERTIFICATE,
    "request.expired": _NEW_CERTIFICATE,
    "request.not_yet_valid": _NEW_CERTIFICATE,
    "request.other": _RESEND,
    "return.reason": (
        "Văn bản không hợp lệ: {problem}. Đề nghị quý cơ quan {request}.",
        "The document is not valid: {problem}. Please {request}.",
    ),
}

_HUB = {
    "hubsays.status_transition_not_allowed": (
        "Trục không nhận trạng thái này: văn bản đã ở trạng thái khác (có thể một người khác "
        "vừa trả lời). Tải lại trang để xem trạng thái hiện tại rồi chọn lại.",
        "The hub does not take this status: the document is already at another one (someone may "
        "have just answered). Reload the page to see where it stands, then choose again.",
    ),
    "hubsays.document_secret": (
        "Văn bản mật không được gửi qua Trục (Quyết định 28/2018/QĐ-TTg): gửi bản giấy.",
        "Secret documents never travel through the hub (Decision 28/2018/QĐ-TTg): send paper.",
    ),
    "hubsays.signature": (
        "Trục từ chối vì chữ ký số không hợp lệ: lãnh đạo và văn thư ký lại bằng chứng thư "
        "còn hiệu lực rồi gửi lại.",
        "The hub refused it: the signatures are not valid. Have the leader and the clerk sign "
        "again with valid certificates, then send again.",
    ),
    "hubsays.recipient_unknown": (
        "Một nơi nhận không còn trong danh bạ của Trục: soạn lại và chọn nơi nhận khác.",
        "A recipient is no longer in the hub's directory: draft again with another recipient.",
    ),
    "hubsays.document_not_found": (
        "Trục không tìm thấy văn bản này của cơ quan bạn: tải lại trang.",
        "The hub has no such document of your agency: reload the page.",
    ),
    "hubsays.auth": (
        "Trục không nhận diện được hệ thống của cơ quan (mã hoặc khóa bí mật sai): báo giảng "
        "viên kiểm tra cấu hình kết nối.",
        "The hub does not recognise the agency's system (wrong id or secret): ask the trainer "
        "to check the connection settings.",
    ),
    "hubsays.other": (
        "Trục không nhận yêu cầu này; không có gì được lưu. Thử lại; nếu vẫn lỗi, báo giảng viên.",
        "The hub did not take this request; nothing was stored. Try again; if it fails again, "
        "tell the trainer.",
    ),
}

_CONNECT = {
    "connect.title": ("Kết nối hệ thống của bạn", "Connect your own system"),
    "connect.intro": (
        "Một hệ thống quản lý văn bản dùng SDK của Trục quốc gia (SDKVXP) kết nối tới Trục thực "
        "hành này không cần sửa gì: chỉ cần địa chỉ, mã hệ thống và khóa bí mật. Chọn một hệ "
        "thống đã có sẵn rồi giao nó cho hệ thống của bạn.",
        "An eOffice system built on the national hub's SDK (SDKVXP) connects to this training "
        "hub unchanged: it needs the endpoint, a system id and a secret. Pick a seeded system, "
        "then hand it to yours.",
    ),
    "connect.settings": ("Cấu hình kết nối cho SDK", "The SDK's connection settings"),
    "connect.endpoint": ("Địa chỉ (endpoint)", "Endpoint"),
    "connect.endpoint_alt": ("hoặc", "or"),
    "connect.system_id": ("Mã hệ thống (systemId)", "System id (systemId)"),
    "connect.secret": ("Khóa bí mật (secret)", "Secret"),
    "connect.rest": ("Còn lại", "Everything else"),
    "connect.rest_value": (
        "giữ nguyên: thư mục tải về, số kết nối, số lần thử lại",
        "unchanged: download folder, connection count, retry count",
    ),
    "connect.hosted": ("Các cơ quan của hệ thống ({count})", "The agencies it hosts ({count})"),
    "connect.played": (
        "Bàn thực hành đang đóng vai hệ thống này (lấy văn bản về mỗi 2 giây). Giao cho hệ "
        "thống của bạn để văn bản gửi tới các cơ quan trên về hệ thống của bạn.",
        "The workbench plays this system (it fetches every 2 s). Hand it over so that what "
        "these agencies receive goes to your system instead.",
    ),
    "connect.hand_over": ("Giao cho hệ thống của tôi", "Hand it to my system"),
    "connect.is_yours": (
        "Hệ thống này đã giao cho bạn: bàn thực hành không lấy văn bản của nó nữa.",
        "This system is yours: the workbench no longer fetches its documents.",
    ),
    "connect.take_back": ("Lấy lại cho bàn thực hành", "Give it back to the workbench"),
    "connect.yours": ("của học viên", "a trainee's"),
    "connect.pick": ("Chọn một hệ thống ở bên phải.", "Pick a system on the right."),
    "connect.systems": ("Các hệ thống", "Systems"),
    "nav.connect": ("Kết nối", "Connect"),
    "flash.handed_over": (
        "Đã giao hệ thống {system} cho hệ thống của bạn.",
        "System {system} is now yours.",
    ),
    "flash.taken_back": (
        "Bàn thực hành đóng vai hệ thống {system} trở lại.",
        "The workbench plays system {system} again.",
    ),
    "error.system_unknown": ("Không có hệ thống này.", "No such system."),
}

ADVICE: dict[str, tuple[str, str]] = {**_DO, **_REQUEST, **_HUB, **_CONNECT}
