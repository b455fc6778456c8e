"""Word lists the demo data is built from: people, places, products, per market.

Plain data, no logic: :mod:`mlm_tui.core.demo` draws from these with a seeded random
generator, so the same seed always gives the same names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class City:
    name: str
    postcode: str


@dataclass(frozen=True, slots=True)
class People:
    """Names and places of one country: female and male first names, surname stems."""

    country: str
    women: tuple[str, ...]
    men: tuple[str, ...]
    surnames: tuple[str, ...]  # as a man's surname; see ``female_surname``
    cities: tuple[City, ...]
    streets: tuple[str, ...]
    phone_prefix: str
    phone_digits: int  # digits after the prefix
    email_domain: str


RUSSIAN = People(
    country="RU",
    women=("Ольга", "Анна", "Ирина", "Елена", "Мария", "Наталья", "Татьяна", "Светлана",
           "Юлия", "Екатерина", "Марина", "Людмила", "Галина", "Оксана", "Дарья", "Ксения",
           "Алина", "Виктория", "Надежда", "Вера"),
    men=("Сергей", "Андрей", "Алексей", "Дмитрий", "Игорь", "Михаил", "Павел", "Николай"),
    surnames=("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
              "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
              "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов",
              "Андреев", "Макаров", "Никитин", "Захаров"),
    cities=(City("Москва", "101000"), City("Санкт-Петербург", "190000"),
            City("Казань", "420000"), City("Новосибирск", "630000"),
            City("Екатеринбург", "620000"), City("Нижний Новгород", "603000"),
            City("Самара", "443000"), City("Тверь", "170000"), City("Тула", "300000"),
            City("Омск", "644000"), City("Краснодар", "350000"), City("Воронеж", "394000"),
            City("Ярославль", "150000")),
    streets=("ул. Ленина", "ул. Садовая", "пр. Мира", "ул. Гагарина", "ул. Советская",
             "ул. Лесная", "ул. Школьная", "Набережная ул.", "ул. Молодёжная", "ул. Цветочная"),
    phone_prefix="+79",
    phone_digits=9,
    email_domain="example.ru",
)

GERMAN = People(
    country="DE",
    women=("Anna", "Petra", "Sabine", "Claudia", "Julia", "Katrin", "Monika", "Sandra",
           "Stefanie", "Ursula", "Jana", "Birgit"),
    men=("Klaus", "Jürgen", "Thomas", "Michael", "Stefan", "Andreas"),
    surnames=("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
              "Becker", "Schulz", "Hoffmann", "Koch", "Bauer", "Richter", "Klein", "Wolf",
              "Schröder"),
    cities=(City("München", "80331"), City("Berlin", "10115"), City("Hamburg", "20095"),
            City("Köln", "50667"), City("Frankfurt am Main", "60311"),
            City("Stuttgart", "70173"), City("Düsseldorf", "40213"), City("Leipzig", "04109"),
            City("Nürnberg", "90402")),
    streets=("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schulstraße", "Lindenallee",
             "Bergstraße", "Am Markt", "Rosenweg"),
    phone_prefix="+4917",  # 017x and nine digits: always a German mobile number
    phone_digits=9,
    email_domain="example.de",
)

# The name several members share, so a search has namesakes to tell apart.
COMMON_NAME = {"ru": "Ольга Иванова", "de": "Sabine Müller"}
DEMO_ROOT = {"ru": ("Анна", "Демидова"), "de": ("Petra", "Schneider")}


def female_surname(surname: str, country: str) -> str:
    """Russian surnames take the feminine ending (Иванов -> Иванова); German ones do not."""
    if country != "RU":
        return surname
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    return surname


_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяäöüß",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
     "ae", "oe", "ue", "ss"],
    strict=True,
))


def email_name(full_name: str) -> str:
    """``Ольга Иванова`` -> ``olga.ivanova``: the local part of a demo e-mail."""
    letters = [_TRANSLIT.get(ch, ch) for ch in full_name.lower()]
    return "".join(letters).replace(" ", ".")


# --- catalog -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryWords:
    russian: str
    german: str
    kinds_ru: tuple[str, ...]
    kinds_de: tuple[str, ...]
    price_band: int  # 0 cheap .. 2 dear
    sized: bool = True  # sold by volume: the name may say "50 мл"


CATEGORIES = (
    CategoryWords("Уход за лицом", "Gesichtspflege",
                  ("Крем для лица", "Сыворотка для лица", "Маска для лица", "Тоник для лица",
                   "Пенка для умывания", "Крем для кожи вокруг глаз"),
                  ("Gesichtscreme", "Gesichtsserum", "Gesichtsmaske", "Augencreme"), 1),
    CategoryWords("Макияж", "Make-up",
                  ("Тушь для ресниц", "Помада", "Тональный крем", "Пудра", "Румяна",
                   "Карандаш для глаз", "Тени для век", "Блеск для губ"),
                  ("Mascara", "Lippenstift", "Puder", "Lidschatten"), 1, sized=False),
    CategoryWords("Уход за телом", "Körperpflege",
                  ("Гель для душа", "Лосьон для тела", "Скраб для тела", "Крем для рук",
                   "Крем для ног", "Масло для тела"),
                  ("Duschgel", "Körperlotion", "Handcreme", "Fußcreme"), 0),
    CategoryWords("Уход за волосами", "Haarpflege",
                  ("Шампунь", "Бальзам для волос", "Маска для волос", "Спрей для волос"),
                  ("Shampoo", "Haarspülung", "Haarkur"), 0),
    CategoryWords("Парфюмерия", "Düfte",
                  ("Парфюмерная вода", "Туалетная вода", "Духи", "Дезодорант-спрей"),
                  ("Eau de Parfum", "Eau de Toilette", "Duftspray"), 2),
    CategoryWords("Для мужчин", "Für Männer",
                  ("Гель для бритья", "Бальзам после бритья", "Дезодорант",
                   "Шампунь для мужчин"),
                  ("Rasiergel", "Aftershave-Balsam", "Deo für Männer"), 1),
    CategoryWords("Для детей", "Für Kinder",
                  ("Детский крем", "Детский шампунь", "Пена для ванны"),
                  ("Kindercreme", "Kindershampoo", "Schaumbad"), 0),
    CategoryWords("Витамины и БАДы", "Nahrungsergänzung",
                  ("Комплекс витаминов", "Омега-3", "Протеиновый коктейль", "Травяной чай"),
                  ("Vitaminkomplex", "Omega-3 Kapseln", "Proteinshake", "Kräutertee"), 2,
                  sized=False),
    CategoryWords("Эфирные масла", "Ätherische Öle",
                  ("Эфирное масло", "Смесь эфирных масел", "Роллер с маслом"),
                  ("Ätherisches Öl", "Ölmischung", "Roll-on Öl"), 1),
    CategoryWords("Аксессуары", "Accessoires",
                  ("Набор кистей для макияжа", "Косметичка", "Спонж для макияжа", "Зеркало"),
                  ("Pinselset", "Kosmetiktasche", "Schminkschwamm"), 1, sized=False),
    CategoryWords("Подарки", "Geschenke",
                  ("Подарочный набор", "Ароматическая свеча", "Ёлочная свеча"),
                  ("Geschenkset", "Duftkerze", "Adventskerze"), 2, sized=False),
    CategoryWords("Для дома", "Haushalt",
                  ("Средство для мытья посуды", "Кондиционер для белья",
                   "Освежитель воздуха"),
                  ("Spülmittel", "Weichspüler", "Raumduft"), 0),
)

NAMES_RU = ("Нежность", "Сияние", "Лаванда", "Роза", "Северное сияние", "Объём", "Бархат",
            "Жемчуг", "Морской бриз", "Ваниль", "Зелёный чай", "Алоэ", "Ромашка", "Кедр",
            "Мята", "Персик", "Черника", "Облепиха", "Белый мускус", "Золото", "Шёлк",
            "Утро", "Зима", "Весна")
NAMES_DE = ("Lavendel", "Rose", "Zitrone", "Pfefferminze", "Weihrauch", "Teebaum", "Orange",
            "Eukalyptus", "Vanille", "Kamille", "Bergamotte", "Sandelholz")
SIZES = ("", "", "30 мл", "50 мл", "150 мл", "250 мл")
SIZES_DE = ("", "", "30 ml", "50 ml", "150 ml", "250 ml")

# Retail prices in whole currency units by price band.
PRICES = {
    "RUB": ((99, 149, 199, 249, 299, 349, 399, 449),
            (399, 499, 549, 599, 699, 799, 899, 999, 1199),
            (999, 1299, 1499, 1899, 2499, 2999, 3499, 4999)),
    "EUR": ((3, 5, 7, 9, 12),
            (9, 12, 14, 19, 24, 29),
            (24, 29, 34, 39, 49, 59, 79)),
}

STATIONS = {
    "ru": ("Сортировочный центр Подольск", "Сортировочный центр Казань",
           "Транзитный склад Екатеринбург", "Пункт выдачи", "Отделение связи"),
    "de": ("Verteilzentrum Hannover", "Verteilzentrum Leipzig", "Paketzentrum Köln",
           "Paketshop", "Zustellbasis"),
}

SHIPMENT_STEPS = {
    "ru": ("Принято у отправителя", "В пути", "Прибыло в сортировочный центр",
           "Передано курьеру", "Вручено получателю", "Доставка остановлена",
           "Возвращено отправителю"),
    "de": ("Sendung eingeliefert", "Unterwegs", "Im Verteilzentrum angekommen",
           "In Zustellung", "Zugestellt", "Zustellung gestoppt", "An Absender zurück"),
}
