"""The words of the lessons the class decides: the sender's report while the trainee decides,
the recipient's question, and the explanation once answered. key -> (Vietnamese, English)."""

from __future__ import annotations

__all__ = ["LESSON_WORDS"]

_PROTOCOL = {
    "lesson.replay.title": ("Phát lại một yêu cầu", "Replay a request"),
    "lesson.replay.teaser": (
        "Yêu cầu getEdoc của nơi nhận bị bắt trên đường truyền và gửi lại y nguyên.",
        "The recipient's getEdoc, captured on the wire, is sent again unchanged.",
    ),
    "lesson.replay.did": (
        "gửi văn bản như thường; hệ thống nơi nhận tải về (getEdoc).",
        "sent the document as usual; the recipient's system downloaded it (getEdoc).",
    ),
    "lesson.replay.result_accepted": (
        "yêu cầu phát lại được chấp nhận và văn bản được trả lại lần nữa (hồ sơ xác thực "
        "«{profile}»).",
        "the replayed request was accepted and the document handed out again (authentication "
        "profile '{profile}').",
    ),
    "lesson.replay.result_refused": (
        "yêu cầu phát lại bị từ chối, mã {code} (hồ sơ xác thực «{profile}»).",
        "the replayed request was refused, code {code} (authentication profile '{profile}').",
    ),
    "lesson.replay.why": (
        "Hồ sơ national (như SDK của Trục quốc gia) ký HMAC không có nonce, thời điểm cố định: "
        "ai bắt được một yêu cầu có thể gửi lại mãi. Hồ sơ strict thêm nonce dùng một lần, "
        "thời điểm mới và băm nội dung: yêu cầu phát lại bị từ chối (auth_nonce_replayed). "
        "Dù hồ sơ nào, hãy đặt Trục sau TLS.",
        "The national profile (as the national SDK signs) has no nonce and a fixed timestamp: "
        "whoever captures a request can send it again forever. The strict profile adds a "
        "one-time nonce, a fresh timestamp and a body hash: a replay is refused "
        "(auth_nonce_replayed). Either way, put the hub behind TLS.",
    ),
    "lesson.out_of_order.title": ("Trạng thái sai thứ tự", "A status out of order"),
    "lesson.out_of_order.teaser": (
        "Hệ thống nơi nhận báo 06 (hoàn thành) ngay sau 01, bỏ qua vào sổ (03).",
        "The recipient's system answers 06 (finished) right after 01, skipping 03.",
    ),
    "lesson.out_of_order.did": (
        "gửi văn bản như thường; nơi nhận đã báo 01 (đã đến).",
        "sent the document as usual; the recipient answered 01 (arrived).",
    ),
    "lesson.out_of_order.result_refused": (
        "Trục từ chối gói trạng thái 06, mã {code}: văn bản phải được vào sổ (03) trước.",
        "the hub refused the 06 status package, code {code}: it must be registered (03) first.",
    ),
    "lesson.out_of_order.result_accepted": (
        "Trục đã nhận gói trạng thái 06 (không đúng quy tắc).",
        "the hub took the 06 status package (against its rules).",
    ),
    "lesson.out_of_order.why": (
        "Trục kiểm tra từng bước chuyển trạng thái của mỗi nơi nhận: 01 → 02 hoặc 03 → 04, 05, "
        "06; không đi lùi, không nhảy bước. Nơi gửi luôn thấy tiến trình đúng thứ tự.",
        "The hub checks every move of each recipient: 01 → 02 or 03 → 04, 05, 06; never back, "
        "never skipping. The sender always sees the steps in order.",
    ),
    "lesson.other_system.title": ("Gửi thay cơ quan khác", "Send for another's agency"),
    "lesson.other_system.teaser": (
        "Văn bản của cơ quan này được gửi qua hệ thống của một đơn vị khác.",
        "This agency's document is sent through another installation's system.",
    ),
    "lesson.other_system.did": (
        "gửi văn bản qua hệ thống {system}, vốn không quản lý cơ quan gửi.",
        "sent the document through system {system}, which does not host the sender.",
    ),
    "lesson.other_system.why": (
        "Khóa bí mật thuộc về hệ thống; mỗi hệ thống chỉ gửi, nhận cho các cơ quan mình quản "
        "lý. Một hệ thống không thể mạo danh cơ quan của hệ thống khác (sender_not_hosted).",
        "Credentials belong to a system; a system sends and receives only for the agencies it "
        "hosts. It cannot pose as another system's agency (sender_not_hosted).",
    ),
    "hubsays.sender": (
        "Hệ thống này không quản lý cơ quan gửi: gửi qua đúng hệ thống của cơ quan.",
        "This system does not host the sender: send through the agency's own system.",
    ),
}

LESSON_WORDS: dict[str, tuple[str, str]] = {
    **_PROTOCOL,
    "nav.present": ("Trình chiếu", "Presenter"),
    "nav.class": ("Lớp học", "Class"),
    "nav.progress": ("Kết quả của tôi", "My progress"),
    "class.title": ("Lớp học: học viên và kết quả", "The class: trainees and progress"),
    "class.progress": ("Kết quả các bài học", "Lesson results"),
    "class.trainee": ("Học viên", "Trainee"),
    "class.decided": ("Đã quyết định", "Decided"),
    "class.right": ("Đúng", "Right"),
    "class.last": ("Lần gần nhất", "Latest"),
    "class.none": ("Chưa có học viên.", "No trainee yet."),
    "class.add": ("Thêm học viên", "Add a trainee"),
    "class.name": ("Tên đăng nhập (chữ thường, số)", "Login name (lower case, digits)"),
    "class.add_button": ("Tạo tài khoản", "Make the account"),
    "class.made": (
        "Đã tạo tài khoản {name}; mật khẩu (chỉ hiện một lần):",
        "Account {name} made; its password (shown once):",
    ),
    "class.lesson": ("Bài học", "Lesson"),
    "class.answer": ("Trả lời", "Answer"),
    "class.yes": ("đúng", "right"),
    "class.no": ("chưa đúng", "not right"),
    "progress.title": ("Kết quả của {name}", "Progress of {name}"),
    "progress.none": (
        "Chưa có bài học nào: mở một văn bản bài học với vai văn thư nơi nhận.",
        "No lesson yet: open a lesson's document as the recipient's clerk.",
    ),
    "error.trainer_only": ("Việc này chỉ giảng viên làm.", "Only the trainer does this."),
    "error.trainee_name": (
        "Tên đăng nhập: 2-32 chữ thường, số, dấu chấm, gạch; chưa dùng.",
        "Login name: 2-32 lower-case letters, digits, dots, dashes; not taken.",
    ),
    "reset.title": ("Lớp mới", "A new class"),
    "reset.what": (
        "Xóa mọi văn bản, trạng thái trên Trục và sổ sách của các cơ quan (sổ đăng ký lại từ "
        "số 01); giữ tài khoản, hệ thống, khóa bí mật và chứng thư số. Sổ cũ được cất riêng.",
        "Clears every document and status on the hub and every agency's books (registers "
        "from 01 again); keeps the accounts, systems, secrets and certificates. The old books "
        "are kept aside.",
    ),
    "reset.button": ("Bắt đầu lớp mới…", "Start a new class…"),
    "reset.sure": (
        "Xóa toàn bộ văn bản của lớp hiện tại?",
        "Clear every document of the current class?",
    ),
    "reset.yes": ("Xóa và bắt đầu lớp mới", "Clear and start a new class"),
    "flash.reset": (
        "Lớp mới: Trục đã xóa {count} văn bản và gói trạng thái; sổ sách bắt đầu lại.",
        "A new class: the hub cleared {count} documents and status packages; books start again.",
    ),
    "present.title": ("Trình chiếu cho lớp", "Presenter view"),
    "present.document": ("Văn bản theo dõi", "Document followed"),
    "present.none": ("Chưa có văn bản nào được gửi", "Nothing sent yet"),
    "present.show": ("Hiển thị", "Show"),
    "lessons.intro": (
        "Mỗi bài học một lần bấm: nơi gửi soạn, ký và gửi qua Trục với một điều sai; văn bản "
        "đến hộp thư nơi nhận. Học viên vào vai văn thư nơi nhận, kiểm tra và tự quyết định: "
        "vào sổ (03) hay trả lại (02). Ba bài cuối cho thấy Trục xử lý giao thức. Bài học có dãy "
        "số riêng (…-BH), không dùng sổ thật.",
        "One click each: the sender drafts, signs and sends through the hub with one thing "
        "wrong; the document lands in the recipient's inbox. A trainee, as its clerk, checks it "
        "and decides: register (03) or return (02). The last three show the hub enforcing the "
        "protocol. Lessons number in their own series (…-BH), never in the real register.",
    ),
    "lesson.waiting": (
        "văn bản đã đến {name}; chờ văn thư nơi nhận (học viên) quyết định.",
        "the document reached {name}; waiting for its clerk (a trainee) to decide.",
    ),
    "lesson.open_recipient": ("Mở với vai văn thư nơi nhận", "Open as the recipient's clerk"),
    "lesson.decided": (
        "văn thư {name} đã trả lời {code} · {status}.",
        "the clerk of {name} answered {code} · {status}.",
    ),
    "lesson.decide.title": ("Bài học: bạn quyết định", "Lesson: you decide"),
    "lesson.decide.ask": (
        "Bạn là văn thư nơi nhận. Xem kết quả kiểm tra chữ ký số rồi quyết định: vào sổ (03), "
        "hay trả lại (02) kèm lý do?",
        "You are the recipient's clerk. Look at the signature check, then decide: register "
        "(03), or return (02) with a reason?",
    ),
    "lesson.decide.right": (
        "Đúng: văn bản không hợp lệ phải được trả lại (02) kèm lý do; nơi gửi nhận được lý do "
        "này và gửi lại văn bản đúng.",
        "Right: an invalid document is returned (02) with the reason; the sender receives it "
        "and sends a proper one.",
    ),
    "lesson.decide.wrong": (
        "Chưa đúng: văn bản có chữ ký không hợp lệ đã được vào sổ (03) như văn bản thật. Nghị "
        "định 30/2020 yêu cầu kiểm tra chữ ký trước khi vào sổ và trả lại văn bản không hợp lệ.",
        "Not right: a document whose signatures are invalid was registered (03) as a genuine "
        "one. Decree 30/2020 requires checking the signatures first and returning an invalid "
        "document.",
    ),
}
