"""The pages' words: key -> (Vietnamese, English). The domain's words (statuses, signature
problems, lessons) are in `messages_domain`."""

from __future__ import annotations

from exchange.web.messages_advice import ADVICE
from exchange.web.messages_domain import DOMAIN
from exchange.web.messages_lessons import LESSON_WORDS

__all__ = ["MESSAGES"]

_PAGES: dict[str, tuple[str, str]] = {
    "app.name": ("Bàn thực hành liên thông văn bản", "Document exchange workbench"),
    "app.title": ("Tập huấn", "Training"),
    "app.footer": (
        "eoffice-sim · mô phỏng Trục liên thông văn bản (QCVN 102:2016, Nghị định 30/2020)",
        "eoffice-sim · a simulated document exchange hub (QCVN 102:2016, Decree 30/2020)",
    ),
    "auth.title": ("Đăng nhập giảng viên", "Trainer login"),
    "auth.intro": (
        "Dùng tài khoản mà lệnh eoffice demo đã in ra.",
        "Use the account that eoffice demo printed.",
    ),
    "auth.user": ("Tài khoản", "User"),
    "auth.password": ("Mật khẩu", "Password"),
    "auth.submit": ("Đăng nhập", "Log in"),
    "auth.logout": ("Đăng xuất", "Log out"),
    "auth.failed": ("Sai tài khoản hoặc mật khẩu.", "Wrong user or password."),
    "nav.agencies": ("Chọn cơ quan", "Agencies"),
    "nav.compose": ("Soạn thảo", "Compose"),
    "nav.inbox": ("Văn bản đến", "Inbox"),
    "nav.outbox": ("Văn bản đi", "Outbox"),
    "nav.lessons": ("Bài học", "Lessons"),
    "nav.hub": ("Trục liên thông", "Hub panel"),
    "acting.label": ("Đang thực hành tại", "Playing"),
    "acting.role": ("Vai", "Role"),
    "nav.label": ("Các trang", "Pages"),
    "live.stale": (
        "Không cập nhật được: máy chủ không trả lời. Đang thử lại…",
        "Not updating: the server does not answer. Trying again…",
    ),
    "role.clerk": ("Văn thư", "Clerk"),
    "role.leader": ("Lãnh đạo", "Leader"),
    "home.title": ("Chọn cơ quan để thực hành", "Pick an agency to play"),
    "home.intro": (
        "Các cơ quan của {province} và trung ương, theo cấp. Chọn một cơ quan, vào vai văn "
        "thư hoặc lãnh đạo.",
        "The agencies of {province} and the central government, by tier. Pick one and act "
        "as its clerk or its leader.",
    ),
    "home.step1": (
        "Văn thư soạn văn bản từ mẫu; hệ thống cấp số theo sổ văn bản đi.",
        "The clerk drafts from a template; the agency's register allocates the number.",
    ),
    "home.step2": (
        "Lãnh đạo ký số; văn thư ký số cơ quan rồi gửi qua Trục.",
        "The leader signs; the clerk applies the organisation's signature and sends.",
    ),
    "home.step3": (
        "Nơi nhận kiểm tra chữ ký, vào sổ (03) hoặc trả lại (02); nơi gửi theo dõi tiến trình.",
        "The recipient checks the signatures, registers (03) or returns (02); the sender "
        "follows the timeline.",
    ),
    "home.filter": ("Tìm cơ quan", "Find an agency"),
    "home.filter_hint": ("gõ tên hoặc mã, ví dụ: Gia Viễn", "a name or code, e.g. Gia Viễn"),
    "home.central": (
        "Trung ương: Văn phòng Chính phủ và các bộ ({count} cơ quan)",
        "Central: the Government Office and ministries ({count} agencies)",
    ),
    "home.children": ("{count} cơ quan trực thuộc", "{count} agencies below"),
    "home.children.one": ("{count} cơ quan trực thuộc", "{count} agency below"),
    "tier.central": ("Trung ương", "Central"),
    "tier.province": ("Cấp tỉnh", "Province"),
    "tier.district": ("Cấp huyện", "District"),
    "tier.commune": ("Cấp xã", "Commune"),
    "compose.title": ("Soạn văn bản đi", "Compose a document"),
    "compose.intro": (
        "Để trống trích yếu hoặc nội dung để dùng nội dung mẫu. Văn bản được cấp số và tạo "
        "tệp PDF ngay.",
        "Leave the subject or the body empty to use the template's. The document is numbered "
        "and its PDF generated at once.",
    ),
    "compose.template": ("Loại văn bản (mẫu)", "Type (template)"),
    "compose.number": ("Số văn bản", "Number"),
    "compose.number_next": ("sẽ cấp số {number}", "will be number {number}"),
    "compose.subject": ("Trích yếu", "Subject"),
    "compose.body": ("Nội dung", "Body"),
    "compose.signer": ("Người ký", "Signer"),
    "compose.priority": ("Độ khẩn", "Priority"),
    "compose.due": ("Hạn xử lý", "Due date"),
    "compose.secrecy": ("Độ mật", "Secrecy"),
    "compose.not_secret": ("Không mật", "Not secret"),
    "compose.recipients": ("Nơi nhận", "Recipients"),
    "compose.whole_tier": ("Gửi cả một cấp", "A whole tier"),
    "compose.no_tier": ("— không —", "— none —"),
    "compose.every_central": ("Tất cả cơ quan trung ương", "Every central agency"),
    "compose.every_province": ("Tất cả cơ quan cấp tỉnh", "Every province agency"),
    "compose.every_district": ("Tất cả UBND cấp huyện", "Every district"),
    "compose.every_commune": ("Tất cả UBND cấp xã", "Every commune"),
    "compose.submit": ("Cấp số và tạo PDF", "Number it and make the PDF"),
    "doc.number": ("Số", "No."),
    "doc.type": ("Loại văn bản", "Type"),
    "doc.document_id": ("Mã định danh (DocumentId)", "DocumentId"),
    "doc.signer": ("Người ký", "Signer"),
    "doc.priority": ("Độ khẩn", "Priority"),
    "doc.due": ("Hạn xử lý", "Due"),
    "doc.secrecy": ("Độ mật", "Secrecy"),
    "doc.recipients": ("Nơi nhận", "Recipients"),
    "doc.recipient_count": ("{count} cơ quan", "{count} agencies"),
    "doc.recipient_count.one": ("{count} cơ quan", "{count} agency"),
    "doc.open_pdf": ("Mở tệp PDF", "Open the PDF"),
    "doc.subject": ("Trích yếu", "Subject"),
    "doc.stage": ("Trạng thái", "Stage"),
    "doc.time": ("Thời gian", "Time"),
    "doc.sender": ("Cơ quan gửi", "Sender"),
    "doc.status": ("Tình trạng", "Status"),
    "doc.signatures": ("Chữ ký số (khi đến)", "Signatures (on arrival)"),
    "doc.arrived": ("Thời điểm đến", "Arrived"),
    "doc.refused_title": ("Trục đã từ chối văn bản", "The hub refused the document"),
    "stage.drafted": ("Dự thảo (đã có PDF)", "Drafted (PDF made)"),
    "stage.person_signed": ("Lãnh đạo đã ký", "Signed by the leader"),
    "stage.signed": ("Đã ký số cơ quan", "Organisation signed"),
    "stage.sent": ("Đã gửi", "Sent"),
    "stage.refused": ("Bị Trục từ chối", "Refused by the hub"),
    "action.sign-person": ("Ký số (lãnh đạo)", "Sign (leader)"),
    "action.sign-organisation": ("Ký số cơ quan (văn thư)", "Organisation signature (clerk)"),
    "action.send": ("Gửi qua Trục", "Send through the hub"),
    "action.recall": ("Đề nghị thu hồi (13)…", "Ask for a recall (13)…"),
    "recall.confirm": (
        "Gửi đề nghị thu hồi (13) tới {count} nơi nhận? Mỗi nơi sẽ đồng ý (15) hoặc từ chối "
        "(16); không thể rút lại đề nghị.",
        "Send a recall request (13) to {count} recipients? Each will agree (15) or refuse "
        "(16); the request cannot be taken back.",
    ),
    "recall.confirm.one": (
        "Gửi đề nghị thu hồi (13) tới nơi nhận? Nơi nhận sẽ đồng ý (15) hoặc từ chối (16); "
        "không thể rút lại đề nghị.",
        "Send a recall request (13) to the recipient? It will agree (15) or refuse (16); the "
        "request cannot be taken back.",
    ),
    "recall.yes": ("Gửi đề nghị thu hồi", "Send the recall request"),
    "recall.no": ("Không, quay lại", "No, go back"),
    "hint.sign-person": (
        "Chờ lãnh đạo ký: chuyển sang vai Lãnh đạo ở trên.",
        "Waiting for the leader's signature: switch to Leader above.",
    ),
    "hint.sign-organisation": (
        "Lãnh đạo đã ký; văn thư ký số cơ quan: chuyển sang vai Văn thư.",
        "The leader has signed; the clerk applies the organisation's: switch to Clerk.",
    ),
    "hint.send": (
        "Văn thư gửi văn bản: chuyển sang vai Văn thư.",
        "The clerk sends: switch to Clerk.",
    ),
    "hint.recall_clerk": ("Văn thư có thể đề nghị thu hồi.", "The clerk may ask for a recall."),
    "hint.leader_assigns": (
        "Lãnh đạo phân công xử lý (04): chuyển sang vai Lãnh đạo.",
        "The leader assigns it (04): switch to Leader.",
    ),
    "hint.clerk_answers": (
        "Văn thư vào sổ, trả lại, xử lý, hoàn thành: chuyển sang vai Văn thư.",
        "The clerk registers, returns, processes, finishes: switch to Clerk.",
    ),
    "hint.final": ("Văn bản đã ở trạng thái cuối.", "The document has reached a final status."),
    "hint.recalled": (
        "Đã đồng ý thu hồi (15): văn bản trả về nơi gửi, không xử lý tiếp.",
        "Recall agreed (15): the document goes back to its sender and is not processed further.",
    ),
    "timeline.title": ("Tiến trình tại từng nơi nhận", "Timeline at each recipient"),
    "timeline.summary": (
        "{count} nơi nhận, trạng thái mới nhất:",
        "{count} recipients, latest status:",
    ),
    "timeline.summary.one": (
        "{count} nơi nhận, trạng thái mới nhất:",
        "{count} recipient, latest status:",
    ),
    "timeline.more": ("và {count} nơi nhận khác", "and {count} more recipients"),
    "timeline.more.one": ("và {count} nơi nhận khác", "and {count} more recipient"),
    "timeline.empty": ("Chưa có thông tin.", "Nothing yet."),
    "timeline.updated": ("cập nhật {time}", "updated {time}"),
    "event.sent": ("Đã gửi", "Sent"),
    "event.fetched": ("Hệ thống nơi nhận đã tải về", "Fetched by the recipient's system"),
    "outbox.title": ("Văn bản đi", "Outbox"),
    "outbox.empty": ("Chưa có văn bản đi.", "Nothing sent yet."),
    "inbox.title": ("Văn bản đến", "Inbox"),
    "inbox.empty": (
        "Chưa có văn bản đến. Hệ thống tự nhận văn bản từ Trục vài giây một lần.",
        "Nothing has arrived. The system fetches from the hub every few seconds.",
    ),
    "incoming.actions": ("Xử lý văn bản đến", "Handle the document"),
    "incoming.reason": ("Lý do trả lại", "Reason for returning it"),
    "incoming.history": ("Đã trả lời", "Answers given"),
    "sig.title": ("Chữ ký số", "Digital signatures"),
    "sig.answer": (
        "Theo Nghị định 30/2020, văn thư nên trả lời: {code}",
        "Under Decree 30/2020 the clerk should answer: {code}",
    ),
    "sig.checked": ("kiểm tra lúc {time}", "checked at {time}"),
    "sig.what_to_do": ("Văn thư cần làm:", "What the clerk does:"),
    "sig.technical": ("Chi tiết kỹ thuật (cho giảng viên)", "Technical detail (for the trainer)"),
    "sig.role.person": ("Chữ ký của người có thẩm quyền", "The competent person's signature"),
    "sig.role.organisation": ("Chữ ký của cơ quan", "The organisation's signature"),
    "sig.role.envelope": ("Chữ ký trên gói tin edXML", "The edXML envelope's signature"),
    "sig.role.other": ("Chữ ký khác", "Another signature"),
    "sig.time": ("Thời điểm ký", "Signed at"),
    "sig.serial": ("số hiệu", "serial"),
    "sig.chain": ("Chuỗi chứng thư", "Chain"),
    "check.intact": ("Toàn vẹn", "Intact"),
    "check.chain_trusted": ("Chuỗi tin cậy đến gốc", "Chains to a trusted root"),
    "check.time_valid": ("Còn hiệu lực lúc ký", "Valid at signing time"),
    "check.not_revoked": ("Chưa bị thu hồi", "Not revoked"),
    "check.algorithm_ok": ("Thuật toán an toàn", "Algorithm acceptable"),
    "verdict.valid": ("HỢP LỆ", "VALID"),
    "verdict.valid_why": (
        "cả người ký và cơ quan đều ký, văn bản không bị sửa.",
        "both the person and the organisation signed, nothing was changed.",
    ),
    "verdict.invalid": ("KHÔNG HỢP LỆ", "INVALID"),
    "lessons.title": ("Bài học về sự cố", "Lessons on failure"),
    "lessons.recipient": ("Gửi đến", "Send to"),
    "lessons.run": ("Chạy bài học", "Run the lesson"),
    "hub.title": ("Trục liên thông: số liệu trực tiếp", "The hub, live"),
    "hub.day": (
        "Ngày {day}. Chính sách kiểm tra chữ ký của Trục: {policy}.",
        "Day {day}. The hub's signature policy: {policy}.",
    ),
    "hub.tier": ("Cấp", "Tier"),
    "hub.sent": ("Văn bản gửi hôm nay", "Documents sent today"),
    "hub.received": ("Lượt nhận", "Deliveries"),
    "hub.registered": ("Đã vào sổ (03-06)", "Registered (03-06)"),
    "hub.returned": ("Trả lại (02)", "Returned (02)"),
    "hub.released": ("Điện tử / phát hành", "Electronic / released"),
    "hub.share": ("Tỷ lệ điện tử", "Electronic share"),
    "hub.target": ("Mục tiêu", "Target"),
    "hub.share_means": (
        "Tỷ lệ điện tử: trong số văn bản các cơ quan đã cấp số và phát hành hôm nay, số văn "
        "bản đi qua Trục (văn bản mật và văn bản bị Trục từ chối phải gửi giấy).",
        "Electronic share: of the documents the agencies numbered and released today, those "
        "the hub carried (secret documents and refused ones go on paper).",
    ),
    "hub.source": ("Mục tiêu theo", "Target from"),
    "hub.statuses": ("gói trạng thái hôm nay", "status packages today"),
    "hub.transport_backlog": ("lượt gửi chưa được tải về", "deliveries not yet fetched"),
    "hub.awaiting": ("văn bản chờ văn thư vào sổ", "documents awaiting a clerk"),
    "hub.audit_ok": (
        "nhật ký kiểm toán toàn vẹn: {count} bản ghi",
        "audit chain intact: {count} records",
    ),
    "hub.audit_broken": (
        "nhật ký kiểm toán bị sửa tại bản ghi {seq}",
        "audit chain broken at record {seq}",
    ),
    "flash.drafted": ("Đã cấp số {code} và tạo PDF.", "Numbered {code}, PDF made."),
    "flash.person_signed": ("Lãnh đạo đã ký số.", "The leader has signed."),
    "flash.signed": ("Đã ký số cơ quan.", "The organisation's signature is on."),
    "flash.sent": ("Đã gửi qua Trục.", "Sent through the hub."),
    "flash.refused": ("Trục đã từ chối văn bản.", "The hub refused the document."),
    "flash.recall": ("Đã gửi đề nghị thu hồi (13).", "Recall requested (13)."),
    "flash.answered": ("Đã gửi trạng thái {code} qua Trục.", "Status {code} sent through the hub."),
    "error.title": ("Không thực hiện được", "Not possible"),
    "error.no_page": (
        "Không có trang này. Chọn một cơ quan ở trang đầu, hoặc xem Trục liên thông.",
        "There is no such page. Pick an agency on the first page, or see the hub panel.",
    ),
    "error.csrf": (
        "Biểu mẫu đã hết hạn hoặc không phải từ trang này. Hãy tải lại trang.",
        "The form expired or did not come from this site. Reload the page.",
    ),
    "error.not_found": ("Không có văn bản này ở cơ quan bạn.", "Your agency has no such document."),
    "error.agency_unknown": ("Không có cơ quan {code}.", "No agency {code}."),
    "error.form": ("Biểu mẫu chưa đúng.", "The form is not valid."),
    "error.template_unknown": ("Không có mẫu văn bản này.", "No such template."),
    "error.signer_unknown": (
        "Người ký không có chứng thư số còn hiệu lực.",
        "The signer holds no usable certificate.",
    ),
    "error.no_recipient": ("Hãy chọn ít nhất một nơi nhận.", "Choose at least one recipient."),
    "error.stage": (
        "Văn bản đã qua bước này (có thể ở một thẻ khác). Tải lại trang để xem bước hiện tại.",
        "The document is past this step (perhaps in another tab). Reload to see where it is.",
    ),
    "error.role_clerk": ("Việc này do văn thư làm.", "This is the clerk's job."),
    "error.role_leader": ("Việc này do lãnh đạo làm.", "This is the leader's job."),
    "error.status_unknown": ("Không có trạng thái này.", "No such status."),
    "error.reason_required": ("Trả lại văn bản phải nêu lý do.", "Returning requires a reason."),
    "error.register_invalid": (
        "Không được vào sổ văn bản có chữ ký số không hợp lệ. Hãy trả lại (02) và nêu lý do.",
        "A document whose signatures are invalid cannot be registered. Return it (02) with "
        "the reason.",
    ),
}

MESSAGES: dict[str, tuple[str, str]] = {**_PAGES, **DOMAIN, **ADVICE, **LESSON_WORDS}
