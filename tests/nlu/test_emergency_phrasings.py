"""Emergency phrasings in Farsi/Dari, Arabic, Ukrainian, Russian and Turkish, colloquial, inflected, misspelt or in
Latin letters, are emergencies; ordinary questions that share a word with them are not."""

from __future__ import annotations

import pytest

from nlu.engine import NluEngine


@pytest.mark.parametrize(
    "text",
    ["منو میزنن", "دارن میزننم", "همسرم کتکم زد", "مره لت کرد شوهرم", "بهم تجاوز کرد", "میخام بمیرم",
     "نمیخوام زنده باشم دیگه", "قرص زیادی خوردم", "بچم سم خورده", "خونمون آتیش گرفته", "دخترم گم شده",
     "پسرم تشنج کرده", "mano mizanan komak", "mikham bemiram dige"],
)  # fmt: skip
def test_farsi_and_dari_danger_phrasings_are_emergencies(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize(
    "text",
    ["سكاكين", "معهم سكاكين", "هجموا علينا", "طعن", "طعنو جاري بالشارع", "واحد انطعن قدام البيت", "اعتدى علي",
     "اعتدوا على اخوي", "ما بدي عيش", "ما عاد بدي اعيش", "بدي اموت", "ابني بلع حبوب كتير", "شربت سم",
     "ما عم يتنفس ابني", "البيت عم يحترق", "خطفوا بنتي", "حابسني جوزي بالبيت", "ريحة غاز قوية", "7a2ouni",
     "bade mut"],
)  # fmt: skip
def test_arabic_danger_phrasings_are_emergencies(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize(
    "text",
    ["хочу вмерти", "хочу померти", "краще вмерти", "не хочу більше жити", "мене б'ють", "мене побили", "отруївся",
     "отруїлися", "випила таблетки", "випила всі таблетки", "наковтався таблеток", "дитина зникла",
     "будинок горить"],
)  # fmt: skip
def test_ukrainian_danger_phrasings_are_emergencies(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize(
    "text",
    ["хочу умереть", "лучше умереть", "не хочу больше жить", "убью себя", "меня бьют", "отравился", "отравилась",
     "выпила все таблетки", "ребенок пропал", "дом горит"],
)  # fmt: skip
def test_russian_danger_phrasings_are_emergencies(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize(
    "text",
    ["pomogite menya byut", "spasite", "menya byut", "hochu umeret", "ne hochu zhit", "vyzovite skoruyu",
     "mene b'yut, dopomozhit", "khochu vmerty"],
)  # fmt: skip
def test_russian_and_ukrainian_in_latin_letters_are_emergencies(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize(
    "text",
    ["güvende değilim", "guvende degilim", "ilaç içtim", "zehir içtim", "zehirlendim", "çok fazla ilaç içtim",
     "olmek istiyorum", "kendimi oldurecegim", "beni dovuyor", "bana saldırdılar", "çocuğum kayboldu", "ev yanıyor",
     "gaz kokusu var", "nefes alamıyor", "bilinci yok"],
)  # fmt: skip
def test_turkish_danger_phrasings_are_emergencies(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize(
    "text",
    ["meine tochter wird vermisst", "mein Sohn ist verschwunden", "er ist seit gestern nicht nach hause gekommen",
     "ich denke daran mich aufzuhängen", "ich will mir was antun", "die wehen haben angefangen",
     "die Fruchtblase ist geplatzt", "anaphylaktischer schock", "da ist jemand mit einer Waffe"],
)  # fmt: skip
def test_german_danger_phrasings_are_emergencies(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize(
    "text",
    ["my little girl is lost", "my son is missing", "my daughter has not come home", "I will take all the pills",
     "I'm going to cut my wrists", "I wrote a goodbye letter", "my labour has started", "I can't get air",
     "there is a man with a gun outside", "a man with a knife is in front of our house"],
)  # fmt: skip
def test_english_danger_phrasings_are_emergencies(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize(
    "text",
    ["порізала вени", "كتبت رسالة وداع", "بدي روح من هالدنيا", "رح انط من الجسر", "نزفت كثير", "najde",
     "el heim kello d5an", "silahlı bir adam var", "پلیس را خبر کنید", "پوليس را خبر كنيد"],
)  # fmt: skip
def test_further_danger_phrasings_in_other_languages_are_emergencies(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize(
    "text",
    ["ich muss wäsche aufhängen", "where can I buy a bread knife", "wo kann ich ein Messer kaufen",
     "я отправилась в офис", "wo ist der Kreißsaal für die Geburtsvorbereitung"],
)  # fmt: skip
def test_an_ordinary_message_near_a_new_danger_phrase_is_no_emergency(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name != "emergency"


@pytest.mark.parametrize(
    "text",
    ["کورس ادغام چند ماه طول می کشد", "کلاس زبان چقدر طول میکشه", "مدارکم گم شده، چه کار کنم",
     "کارت بانکی ام گم شده", "كيف اقدم طعن على قرار رفض اللجوء", "عندي تسمم غذائي من يومين، شو اعمل",
     "я отправила документы в джобцентр", "хочу записаться на курс немецкого", "мені не хочеться йти на курс",
     "verilerim güvende değil mi", "ilaç almak için eczane nerede", "kimliğim kayboldu ne yapmalıyım",
     "bilinçli tüketim kursu var mı"],
)  # fmt: skip
def test_an_ordinary_question_sharing_a_word_with_a_danger_phrase_is_no_emergency(
    real_engine: NluEngine, text: str
) -> None:
    assert real_engine.parse(text).intent.name != "emergency"


def test_a_bare_plea_for_help_in_latin_russian_asks_what_the_assistant_can_do(real_engine: NluEngine) -> None:
    assert real_engine.parse("pomogite").intent.name == "bot_capabilities"
