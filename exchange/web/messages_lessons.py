"""The words of the lessons the class decides: the sender's report while the trainee decides,
the recipient's question, and the explanation once answered. key -> (Vietnamese, English)."""

from __future__ import annotations

__all__ = ["LESSON_WORDS"]

LESSON_WORDS: dict[str, tuple[str, str]] = {
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
        "vào sổ (03) hay trả lại (02). Bài học có dãy số riêng (…-BH), không dùng sổ thật.",
        "One click each: the sender drafts, signs and sends through the hub with one thing "
        "wrong; the document lands in the recipient's inbox. A trainee, as its clerk, checks it "
        "and decides: register (03) or return (02). Lessons number in their own series (…-BH), "
        "never in the real register.",
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
