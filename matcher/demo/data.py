"""Fixed facts and vocabulary of the Kota Batu demo: geography, agencies, product templates,
names. Nothing here is random; ``generate`` draws from these lists with a seeded RNG.

The demo password is a documented, public demo value: never use it outside a demo."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.geography import KECAMATAN_DESA, all_desa

# Shared by every demo account; satisfies check_password_policy (>= 10 chars, letter, digit).
DEMO_PASSWORD = "batu2026!demo"
DEFAULT_SEED = 2026

# BPS code of Kota Batu (used in P-IRT numbers) and of the out-of-town regions.
KOTA_BATU_BPS = "3579"

# --- Geography: 3 kecamatan, 24 desa/kelurahan (5 kelurahan, 19 desa), from matcher.geography

KECAMATAN: dict[str, tuple[str, ...]] = KECAMATAN_DESA
KELURAHAN: frozenset[str] = frozenset({"Ngaglik", "Sisir", "Songgokerto", "Temas", "Dadaprejo"})
DESA_TO_KECAMATAN: dict[str, str] = dict(all_desa())
ALL_DESA: tuple[str, ...] = tuple(DESA_TO_KECAMATAN)


def desa_label(desa: str) -> str:
    """``Desa Pandanrejo`` or ``Kelurahan Sisir``."""
    return f"{'Kelurahan' if desa in KELURAHAN else 'Desa'} {desa}"


# Categories a desa is known for (weights the region of generated UMKM in that category).
DESA_SPECIALTIES: dict[str, frozenset[str]] = {
    "Sidomulyo": frozenset({"TANAMAN"}),
    "Gunungsari": frozenset({"TANAMAN", "SAYUR_BUAH"}),
    "Tulungrejo": frozenset({"SAYUR_BUAH", "MAKANAN_KEMASAN"}),
    "Sumber Brantas": frozenset({"SAYUR_BUAH"}),
    "Punten": frozenset({"SAYUR_BUAH", "MINUMAN"}),
    "Bulukerto": frozenset({"SAYUR_BUAH", "MAKANAN_KEMASAN"}),
    "Bumiaji": frozenset({"SAYUR_BUAH", "MAKANAN_KEMASAN", "MINUMAN"}),
    "Sumbergondo": frozenset({"SAYUR_BUAH"}),
    "Giripurno": frozenset({"SAYUR_BUAH", "TANAMAN"}),
    "Pandanrejo": frozenset({"MAKANAN_KEMASAN", "MINUMAN", "SAYUR_BUAH"}),
    "Junrejo": frozenset({"BERAS", "KERAJINAN"}),
    "Torongrejo": frozenset({"BERAS"}),
    "Beji": frozenset({"BERAS", "FURNITUR"}),
    "Pendem": frozenset({"BERAS", "KERAJINAN"}),
    "Tlekung": frozenset({"SAYUR_BUAH", "BERAS"}),
    "Mojorejo": frozenset({"BERAS", "TAS_SEPATU"}),
    "Dadaprejo": frozenset({"FURNITUR", "CETAK"}),
    "Temas": frozenset({"NASI_KOTAK", "SNACK", "LAUNDRY", "SERAGAM"}),
    "Sisir": frozenset({"NASI_KOTAK", "CETAK", "ATK", "BATIK", "LAUNDRY"}),
    "Ngaglik": frozenset({"SNACK", "CETAK", "ATK", "SERAGAM"}),
    "Songgokerto": frozenset({"NASI_KOTAK", "KERAJINAN", "BATIK"}),
    "Pesanggrahan": frozenset({"SNACK", "TAS_SEPATU", "BATIK"}),
    "Sumberejo": frozenset({"SNACK", "TANAMAN", "SERAGAM"}),
    "Oro-oro Ombo": frozenset({"NASI_KOTAK", "KERAJINAN", "MAKANAN_KEMASAN"}),
}

STREETS: tuple[str, ...] = (
    "Jl. Diponegoro",
    "Jl. Panglima Sudirman",
    "Jl. Brantas",
    "Jl. Arumdalu",
    "Jl. Trunojoyo",
    "Jl. Imam Bonjol",
    "Jl. Dewi Sartika",
    "Jl. Kartini",
    "Jl. Abdul Gani",
    "Jl. Sultan Agung",
    "Jl. Patimura",
    "Jl. Hasanudin",
    "Jl. Semeru",
    "Jl. Welirang",
    "Jl. Arjuno",
    "Jl. Bukit Berbunga",
    "Jl. Dieng",
    "Jl. Mawar",
    "Jl. Melati",
    "Jl. Anggrek",
    "Jl. Kenanga",
    "Jl. Flamboyan",
    "Jl. Cempaka",
    "Jl. Lahor",
)

# Suppliers from outside Kota Batu: region -> (BPS code, kecamatan-like localities).
OUTSIDE_REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Malang": ("3573", ("Dinoyo", "Blimbing", "Sukun", "Klojen", "Lowokwaru")),
    "Kab. Malang": ("3507", ("Singosari", "Lawang", "Karangploso", "Dau", "Pakis")),
    "Surabaya": ("3578", ("Rungkut", "Gubeng", "Wonokromo", "Tandes", "Genteng")),
}

# --- Agencies: the 31 Perangkat Daerah, aligned with shared/examples/batu-small --------


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    slug: str  # e-mail local part: pengadaan.<slug>@demo.batukota.go.id
    region: str  # desa/kelurahan of the office
    budget_range: tuple[int, int]  # annual belanja barang/jasa, rupiah
    # Categories this agency typically buys, with weights.
    buys: dict[str, int]


_MEETING = {"NASI_KOTAK": 4, "SNACK": 5, "ATK": 2, "CETAK": 2}
M = 1_000_000

AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "A001",
        "Sekretariat Daerah",
        "setda",
        "Pesanggrahan",
        (3_000 * M, 5_500 * M),
        {**_MEETING, "TANAMAN": 2, "FURNITUR": 1, "MAKANAN_KEMASAN": 2, "BATIK": 1},
    ),
    AgencySpec(
        "A002",
        "Sekretariat DPRD",
        "dprd",
        "Pesanggrahan",
        (2_000 * M, 4_000 * M),
        {**_MEETING, "SERAGAM": 1, "BATIK": 2, "MINUMAN": 1},
    ),
    AgencySpec(
        "A003", "Inspektorat", "inspektorat", "Pesanggrahan", (400 * M, 800 * M), dict(_MEETING)
    ),
    AgencySpec(
        "A004",
        "Bappeda",
        "bappeda",
        "Pesanggrahan",
        (600 * M, 1_200 * M),
        {**_MEETING, "TAS_SEPATU": 1},
    ),
    AgencySpec("A005", "BPKAD", "bpkad", "Pesanggrahan", (800 * M, 1_500 * M), dict(_MEETING)),
    AgencySpec(
        "A006",
        "Bapenda",
        "bapenda",
        "Pesanggrahan",
        (700 * M, 1_400 * M),
        {**_MEETING, "FURNITUR": 1},
    ),
    AgencySpec(
        "A007",
        "BKPSDM",
        "bkpsdm",
        "Pesanggrahan",
        (500 * M, 1_000 * M),
        {**_MEETING, "TAS_SEPATU": 2, "BATIK": 1},
    ),
    AgencySpec(
        "A008",
        "Dinas Pendidikan",
        "disdik",
        "Sisir",
        (3_000 * M, 6_000 * M),
        {"SERAGAM": 5, "BATIK": 2, "ATK": 4, "SNACK": 2, "TAS_SEPATU": 3, "FURNITUR": 2},
    ),
    AgencySpec(
        "A009",
        "Dinas Kesehatan",
        "dinkes",
        "Sisir",
        (2_000 * M, 5_000 * M),
        {"MASKER": 5, "NASI_KOTAK": 3, "SNACK": 3, "MINUMAN": 2, "CETAK": 2, "LAUNDRY": 1},
    ),
    AgencySpec(
        "A010", "Dinas PUPR", "pupr", "Sisir", (1_500 * M, 3_000 * M), {**_MEETING, "SERAGAM": 2}
    ),
    AgencySpec(
        "A011",
        "Dinas Perkim",
        "perkim",
        "Pesanggrahan",
        (800 * M, 1_500 * M),
        {**_MEETING, "TANAMAN": 2},
    ),
    AgencySpec(
        "A012",
        "Satpol PP",
        "satpolpp",
        "Ngaglik",
        (600 * M, 1_200 * M),
        {"SERAGAM": 4, "TAS_SEPATU": 3, "NASI_KOTAK": 2, "SNACK": 1},
    ),
    AgencySpec(
        "A013",
        "Dinas Sosial",
        "dinsos",
        "Sisir",
        (700 * M, 1_500 * M),
        {"BERAS": 5, "MAKANAN_KEMASAN": 2, "NASI_KOTAK": 2, "SNACK": 1, "SERAGAM": 1},
    ),
    AgencySpec(
        "A014",
        "Dinas Tenaga Kerja",
        "disnaker",
        "Pesanggrahan",
        (400 * M, 800 * M),
        {**_MEETING, "SERAGAM": 1},
    ),
    AgencySpec(
        "A015",
        "DP3AP2KB",
        "dp3ap2kb",
        "Sisir",
        (500 * M, 1_000 * M),
        {**_MEETING, "MAKANAN_KEMASAN": 1, "MINUMAN": 1},
    ),
    AgencySpec(
        "A016",
        "Dinas Pangan dan Pertanian",
        "dispertan",
        "Bumiaji",
        (900 * M, 2_000 * M),
        {"BERAS": 3, "SAYUR_BUAH": 4, "TANAMAN": 3, "SNACK": 1, "NASI_KOTAK": 1},
    ),
    AgencySpec(
        "A017",
        "Dinas Lingkungan Hidup",
        "dlh",
        "Temas",
        (1_500 * M, 3_000 * M),
        {"TANAMAN": 5, "SERAGAM": 2, "TAS_SEPATU": 2, "SNACK": 1, "NASI_KOTAK": 1},
    ),
    AgencySpec(
        "A018",
        "Dinas Dukcapil",
        "dukcapil",
        "Pesanggrahan",
        (500 * M, 1_000 * M),
        {"CETAK": 4, "ATK": 3, "SNACK": 1},
    ),
    AgencySpec(
        "A019",
        "Dinas Perhubungan",
        "dishub",
        "Temas",
        (800 * M, 1_600 * M),
        {"SERAGAM": 3, "CETAK": 2, "NASI_KOTAK": 1, "SNACK": 1},
    ),
    AgencySpec(
        "A020",
        "Dinas Kominfo",
        "kominfo",
        "Pesanggrahan",
        (800 * M, 1_600 * M),
        {**_MEETING, "CETAK": 4},
    ),
    AgencySpec(
        "A021",
        "Diskumdag",
        "diskumdag",
        "Sisir",
        (900 * M, 2_000 * M),
        {**_MEETING, "MAKANAN_KEMASAN": 3, "KERAJINAN": 2, "BATIK": 2, "MINUMAN": 2},
    ),
    AgencySpec("A022", "DPMPTSP", "dpmptsp", "Pesanggrahan", (400 * M, 800 * M), dict(_MEETING)),
    AgencySpec(
        "A023",
        "Dinas Pariwisata",
        "disparta",
        "Oro-oro Ombo",
        (1_500 * M, 3_000 * M),
        {
            "KERAJINAN": 4,
            "BATIK": 3,
            "MAKANAN_KEMASAN": 3,
            "MINUMAN": 2,
            "TANAMAN": 2,
            "NASI_KOTAK": 2,
            "CETAK": 2,
        },
    ),
    AgencySpec(
        "A024",
        "Dispora",
        "dispora",
        "Songgokerto",
        (900 * M, 2_000 * M),
        {"SERAGAM": 4, "MINUMAN": 3, "NASI_KOTAK": 3, "SNACK": 2, "TAS_SEPATU": 2},
    ),
    AgencySpec(
        "A025",
        "Dinas Perpustakaan dan Kearsipan",
        "dispusip",
        "Sisir",
        (400 * M, 800 * M),
        {"FURNITUR": 3, "ATK": 3, "CETAK": 2, "SNACK": 1},
    ),
    AgencySpec(
        "A026",
        "BPBD",
        "bpbd",
        "Temas",
        (500 * M, 1_200 * M),
        {"BERAS": 3, "NASI_KOTAK": 3, "MASKER": 3, "MINUMAN": 2, "SERAGAM": 1},
    ),
    AgencySpec(
        "A027", "Bakesbangpol", "bakesbangpol", "Pesanggrahan", (400 * M, 800 * M), dict(_MEETING)
    ),
    AgencySpec(
        "A028",
        "RSUD Karsa Husada",
        "rsud",
        "Sisir",
        (4_000 * M, 8_000 * M),
        {"BERAS": 4, "SAYUR_BUAH": 4, "LAUNDRY": 4, "MASKER": 3, "NASI_KOTAK": 2, "SERAGAM": 1},
    ),
    AgencySpec(
        "A029",
        "Kecamatan Batu",
        "kec.batu",
        "Sisir",
        (300 * M, 700 * M),
        {**_MEETING, "TANAMAN": 1},
    ),
    AgencySpec(
        "A030",
        "Kecamatan Bumiaji",
        "kec.bumiaji",
        "Bumiaji",
        (300 * M, 700 * M),
        {**_MEETING, "SAYUR_BUAH": 1},
    ),
    AgencySpec(
        "A031",
        "Kecamatan Junrejo",
        "kec.junrejo",
        "Junrejo",
        (300 * M, 700 * M),
        {**_MEETING, "BERAS": 1},
    ),
)

# --- Products: what an offer or a need in each category looks like ---------------------


@dataclass(frozen=True)
class ProductSpec:
    name: str
    description: str
    price: tuple[int, int]  # typical unit price range of a local mikro/kecil seller
    need: str  # need description template; {event} is filled in
    quantity: tuple[int, int]  # typical need quantity


@dataclass(frozen=True)
class CategorySpec:
    capacity: tuple[int, int]  # units per planning period of a mikro seller
    min_order: tuple[int, ...]  # choices
    lead_time: tuple[int, int]  # days
    products: tuple[ProductSpec, ...]


P = ProductSpec
CATEGORIES: dict[str, CategorySpec] = {
    "BERAS": CategorySpec(
        (800, 4_000),
        (10, 25, 50),
        (1, 5),
        (
            P(
                "Beras medium",
                "Beras medium giling baru dari sawah setempat, karung 25 kg",
                (11_500, 13_000),
                "Beras medium untuk {event}",
                (250, 3_000),
            ),
            P(
                "Beras premium",
                "Beras premium pulen, kemasan 5 kg dan 25 kg",
                (13_500, 15_500),
                "Beras premium untuk {event}",
                (100, 1_500),
            ),
            P(
                "Beras organik",
                "Beras organik bersertifikat kelompok tani, kemasan 5 kg",
                (16_000, 19_000),
                "Beras organik untuk {event}",
                (50, 500),
            ),
        ),
    ),
    "SAYUR_BUAH": CategorySpec(
        (300, 2_500),
        (5, 10, 20),
        (1, 3),
        (
            P(
                "Apel Manalagi",
                "Apel Manalagi segar petik kebun Bumiaji, grade A",
                (12_000, 18_000),
                "Apel Manalagi untuk {event}",
                (50, 600),
            ),
            P(
                "Apel Anna",
                "Apel Anna segar, rasa manis asam",
                (10_000, 15_000),
                "Buah apel untuk {event}",
                (50, 500),
            ),
            P(
                "Kentang granola",
                "Kentang granola Sumber Brantas, ukuran sedang",
                (12_000, 16_000),
                "Kentang untuk {event}",
                (50, 600),
            ),
            P(
                "Wortel dan kubis segar",
                "Sayur segar panen harian dari lahan Bumiaji",
                (6_000, 10_000),
                "Sayuran segar untuk {event}",
                (100, 800),
            ),
            P(
                "Jeruk keprok Batu 55",
                "Jeruk keprok Batu 55, manis segar",
                (15_000, 22_000),
                "Buah jeruk untuk {event}",
                (50, 400),
            ),
        ),
    ),
    "NASI_KOTAK": CategorySpec(
        (400, 2_500),
        (20, 25, 50),
        (1, 3),
        (
            P(
                "Nasi kotak ayam goreng",
                "Nasi, ayam goreng, sayur, sambal, kerupuk, buah, air mineral",
                (22_000, 28_000),
                "Nasi kotak {event}",
                (40, 500),
            ),
            P(
                "Nasi kotak ayam bakar",
                "Nasi, ayam bakar, tumis sayur, tempe, sambal, buah",
                (25_000, 32_000),
                "Konsumsi makan siang {event}",
                (40, 400),
            ),
            P(
                "Nasi kotak rendang",
                "Nasi, rendang daging sapi, sayur, perkedel, buah",
                (30_000, 36_000),
                "Nasi kotak menu daging {event}",
                (30, 300),
            ),
            P(
                "Nasi kuning kotak",
                "Nasi kuning, ayam suwir, telur, mi goreng, sambal",
                (18_000, 24_000),
                "Nasi kuning kotak {event}",
                (50, 400),
            ),
        ),
    ),
    "SNACK": CategorySpec(
        (500, 3_000),
        (20, 25, 50),
        (1, 2),
        (
            P(
                "Snack box 2 kue",
                "Dua kue basah dan air mineral gelas",
                (8_000, 10_000),
                "Snack box {event}",
                (50, 600),
            ),
            P(
                "Snack box 3 kue",
                "Tiga kue (basah dan kering), air mineral botol",
                (10_000, 13_000),
                "Kudapan rapat {event}",
                (50, 500),
            ),
            P(
                "Jajanan pasar kotak",
                "Lemper, nagasari, kue lumpur, onde-onde",
                (8_000, 11_000),
                "Jajanan pasar {event}",
                (50, 400),
            ),
            P(
                "Snack box premium roti dan buah",
                "Roti isi, kue sus, potongan buah, teh kotak",
                (13_000, 15_000),
                "Snack box tamu {event}",
                (30, 300),
            ),
        ),
    ),
    "MAKANAN_KEMASAN": CategorySpec(
        (300, 3_000),
        (10, 12, 24),
        (2, 5),
        (
            P(
                "Kripik apel 100 g",
                "Kripik apel asli Batu, standing pouch 100 g",
                (15_000, 22_000),
                "Oleh-oleh kripik apel {event}",
                (50, 500),
            ),
            P(
                "Dodol apel 250 g",
                "Dodol apel khas Batu, kemasan kotak 250 g",
                (14_000, 20_000),
                "Dodol apel {event}",
                (50, 400),
            ),
            P(
                "Jenang apel 200 g",
                "Jenang apel, kemasan mika 200 g",
                (12_000, 18_000),
                "Jenang apel {event}",
                (50, 300),
            ),
            P(
                "Kripik kentang balado 200 g",
                "Kripik kentang Sumber Brantas rasa balado",
                (14_000, 20_000),
                "Camilan kemasan {event}",
                (50, 400),
            ),
        ),
    ),
    "MINUMAN": CategorySpec(
        (1_000, 6_000),
        (24, 48),
        (2, 4),
        (
            P(
                "Sari apel 250 ml",
                "Sari buah apel Batu, botol 250 ml",
                (4_000, 6_500),
                "Minuman sari apel {event}",
                (100, 1_500),
            ),
            P(
                "Susu sapi pasteurisasi 250 ml",
                "Susu segar peternak Batu, pasteurisasi, botol 250 ml",
                (5_000, 8_000),
                "Susu segar {event}",
                (100, 1_200),
            ),
            P(
                "Wedang jahe merah 330 ml",
                "Wedang jahe merah siap minum, botol 330 ml",
                (7_000, 11_000),
                "Minuman tradisional {event}",
                (100, 800),
            ),
        ),
    ),
    "SERAGAM": CategorySpec(
        (60, 300),
        (5, 10, 12),
        (10, 30),
        (
            P(
                "Seragam sekolah SD",
                "Kemeja dan celana/rok seragam SD, kain tetoron",
                (150_000, 190_000),
                "Seragam sekolah {event}",
                (30, 300),
            ),
            P(
                "Seragam PDH",
                "Pakaian dinas harian, kain American drill",
                (220_000, 290_000),
                "Seragam PDH {event}",
                (20, 150),
            ),
            P(
                "Seragam olahraga",
                "Kaos dan celana training, bahan lotto/PE",
                (130_000, 180_000),
                "Baju olahraga {event}",
                (30, 250),
            ),
            P(
                "Seragam PDL lapangan",
                "Pakaian dinas lapangan, kain ripstop",
                (250_000, 300_000),
                "Seragam PDL {event}",
                (20, 120),
            ),
        ),
    ),
    "BATIK": CategorySpec(
        (30, 200),
        (1, 5, 10),
        (7, 30),
        (
            P(
                "Kain batik cap motif apel",
                "Kain batik cap 2 m motif apel dan bunga khas Batu",
                (150_000, 250_000),
                "Kain batik khas Batu {event}",
                (20, 150),
            ),
            P(
                "Kemeja batik cap",
                "Kemeja batik cap lengan panjang, katun primisima",
                (180_000, 300_000),
                "Kemeja batik {event}",
                (20, 200),
            ),
            P(
                "Kemeja batik tulis",
                "Kemeja batik tulis pewarna alam, motif Sekar Batu",
                (550_000, 900_000),
                "Batik tulis cenderamata {event}",
                (5, 40),
            ),
            P(
                "Kain batik tulis premium",
                "Kain batik tulis halus 2,5 m, pewarna alam",
                (900_000, 1_500_000),
                "Kain batik tulis premium {event}",
                (5, 20),
            ),
        ),
    ),
    "MASKER": CategorySpec(
        (1_000, 8_000),
        (50, 100),
        (3, 10),
        (
            P(
                "Masker kain 3 lapis",
                "Masker kain katun 3 lapis, bisa dicuci",
                (3_000, 5_000),
                "Masker kain {event}",
                (200, 4_000),
            ),
            P(
                "Masker kain motif batik",
                "Masker kain 2 lapis motif batik Batu",
                (5_000, 8_000),
                "Masker motif batik {event}",
                (100, 2_000),
            ),
        ),
    ),
    "KERAJINAN": CategorySpec(
        (80, 1_000),
        (5, 10, 20),
        (5, 21),
        (
            P(
                "Gantungan kunci apel",
                "Gantungan kunci resin bentuk apel, logo dapat dipesan",
                (5_000, 12_000),
                "Suvenir gantungan kunci {event}",
                (100, 1_000),
            ),
            P(
                "Miniatur ikon Kota Batu",
                "Miniatur kayu ikon Kota Batu dalam kotak",
                (35_000, 75_000),
                "Cenderamata tamu {event}",
                (20, 200),
            ),
            P(
                "Plakat kayu ukir",
                "Plakat kayu jati ukir dengan logo instansi",
                (150_000, 350_000),
                "Plakat penghargaan {event}",
                (5, 50),
            ),
            P(
                "Anyaman bambu",
                "Keranjang dan tempat tisu anyaman bambu",
                (25_000, 60_000),
                "Kerajinan anyaman {event}",
                (20, 200),
            ),
        ),
    ),
    "ATK": CategorySpec(
        (100, 1_200),
        (5, 10),
        (2, 7),
        (
            P(
                "Paket ATK peserta",
                "Map, bolpoin, buku catatan dan name tag",
                (15_000, 30_000),
                "ATK peserta {event}",
                (30, 400),
            ),
            P(
                "Paket ATK pegawai bulanan",
                "Kertas HVS 1 rim, bolpoin, map, stapler, isi staples",
                (60_000, 90_000),
                "ATK kantor {event}",
                (10, 120),
            ),
            P(
                "Paket ATK siswa",
                "Buku tulis 10, pensil, bolpoin, penggaris, tas kain",
                (60_000, 110_000),
                "Paket ATK siswa {event}",
                (50, 400),
            ),
        ),
    ),
    "CETAK": CategorySpec(
        (3_000, 20_000),
        (50, 100),
        (2, 7),
        (
            P(
                "Cetak brosur A4 full colour",
                "Art paper 120 g, cetak bolak-balik",
                (1_200, 2_500),
                "Cetak brosur {event}",
                (300, 5_000),
            ),
            P(
                "Cetak undangan",
                "Undangan lipat dengan amplop, kertas jasmine",
                (2_500, 5_000),
                "Cetak undangan {event}",
                (100, 1_000),
            ),
            P(
                "Cetak sertifikat dan piagam",
                "Kertas BC/linen A4, cetak full colour",
                (3_000, 7_000),
                "Cetak sertifikat {event}",
                (50, 800),
            ),
            P(
                "Cetak poster A3",
                "Art paper 150 g, full colour",
                (4_000, 8_000),
                "Cetak poster {event}",
                (50, 600),
            ),
        ),
    ),
    "FURNITUR": CategorySpec(
        (10, 60),
        (1, 2),
        (14, 40),
        (
            P(
                "Meja kerja kayu jati",
                "Meja kerja 120 x 60 cm, kayu jati finishing melamin",
                (1_800_000, 3_500_000),
                "Meja kerja {event}",
                (2, 20),
            ),
            P(
                "Lemari arsip kayu",
                "Lemari arsip 4 pintu, kayu mahoni",
                (2_500_000, 4_500_000),
                "Lemari arsip {event}",
                (2, 12),
            ),
            P(
                "Set meja kursi siswa",
                "Satu meja dan satu kursi siswa, kayu mahoni",
                (900_000, 1_600_000),
                "Meubelair sekolah {event}",
                (10, 60),
            ),
            P(
                "Rak buku kayu",
                "Rak buku 5 susun, kayu pinus",
                (1_200_000, 2_200_000),
                "Rak buku {event}",
                (2, 20),
            ),
        ),
    ),
    "TANAMAN": CategorySpec(
        (150, 1_500),
        (5, 10),
        (2, 7),
        (
            P(
                "Krisan pot",
                "Bunga krisan potong dalam pot, petani Sidomulyo",
                (25_000, 40_000),
                "Bunga krisan pot {event}",
                (20, 300),
            ),
            P(
                "Mawar pot",
                "Mawar pot diameter 25 cm, bunga mekar",
                (30_000, 50_000),
                "Mawar pot {event}",
                (20, 200),
            ),
            P(
                "Tanaman hias daun",
                "Aglaonema, monstera dan sirih gading dalam pot",
                (35_000, 75_000),
                "Tanaman hias kantor {event}",
                (10, 150),
            ),
            P(
                "Bibit pohon peneduh",
                "Bibit trembesi/ketapang kencana tinggi 1,5 m dalam polybag",
                (15_000, 30_000),
                "Bibit pohon {event}",
                (50, 500),
            ),
        ),
    ),
    "TAS_SEPATU": CategorySpec(
        (60, 800),
        (10, 20),
        (7, 21),
        (
            P(
                "Tas seminar",
                "Tas seminar kanvas dengan sablon logo",
                (35_000, 65_000),
                "Tas seminar {event}",
                (30, 300),
            ),
            P(
                "Goodie bag kain",
                "Goodie bag spunbond/kanvas sablon satu warna",
                (12_000, 25_000),
                "Goodie bag {event}",
                (50, 500),
            ),
            P(
                "Sepatu PDL",
                "Sepatu PDL kulit sapi, sol karet",
                (250_000, 400_000),
                "Sepatu PDL {event}",
                (20, 120),
            ),
            P(
                "Sepatu sekolah",
                "Sepatu sekolah hitam kulit sintetis",
                (120_000, 200_000),
                "Sepatu sekolah {event}",
                (30, 250),
            ),
        ),
    ),
    "LAUNDRY": CategorySpec(
        (1_500, 8_000),
        (5, 10),
        (1, 3),
        (
            P(
                "Laundry kiloan cuci setrika",
                "Cuci, kering, setrika, antar jemput",
                (6_000, 9_000),
                "Jasa laundry {event}",
                (200, 2_000),
            ),
            P(
                "Laundry linen",
                "Cuci linen, sprei dan selimut dengan disinfeksi",
                (8_000, 12_000),
                "Laundry linen {event}",
                (300, 3_000),
            ),
        ),
    ),
}

# Events of agencies that needs are for, by category family.
EVENTS_GENERAL: tuple[str, ...] = (
    "rapat koordinasi triwulan",
    "Musrenbang kecamatan",
    "bimtek aparatur",
    "sosialisasi program",
    "rapat evaluasi kinerja",
    "peringatan Hari Jadi Kota Batu",
    "kunjungan kerja",
    "pelatihan UMKM",
    "rapat paripurna",
    "forum konsultasi publik",
)
EVENTS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "BERAS": ("bantuan sosial keluarga rentan", "dapur umum", "gizi pasien rawat inap"),
    "SAYUR_BUAH": ("gizi pasien rawat inap", "pameran hasil pertanian", "pemberian makanan"),
    "SERAGAM": ("pegawai tahun anggaran berjalan", "siswa baru", "petugas lapangan"),
    "BATIK": ("pegawai", "tamu kenegaraan", "duta wisata"),
    "MASKER": ("posyandu dan puskesmas", "kegiatan vaksinasi", "tanggap darurat"),
    "FURNITUR": ("ruang pelayanan", "sekolah dasar negeri", "ruang arsip"),
    "TANAMAN": ("penghijauan taman kota", "dekorasi balai kota", "Hari Lingkungan Hidup"),
    "LAUNDRY": ("linen rawat inap", "perlengkapan posko", "seragam petugas"),
    "ATK": ("operasional kantor", "pelatihan", "siswa kurang mampu"),
    "TAS_SEPATU": ("peserta pelatihan", "petugas lapangan", "siswa kurang mampu"),
}

# Which second category a business of a primary category often also sells, with probability.
SECONDARY: dict[str, tuple[tuple[str, float], ...]] = {
    "SERAGAM": (("MASKER", 0.5), ("BATIK", 0.15)),
    "NASI_KOTAK": (("SNACK", 0.5),),
    "SNACK": (("NASI_KOTAK", 0.2),),
    "MAKANAN_KEMASAN": (("MINUMAN", 0.25),),
    "MINUMAN": (("MAKANAN_KEMASAN", 0.3),),
    "KERAJINAN": (("TAS_SEPATU", 0.2),),
    "CETAK": (("ATK", 0.3),),
    "ATK": (("CETAK", 0.3),),
    "BATIK": (("MASKER", 0.3), ("SERAGAM", 0.15)),
    "TAS_SEPATU": (("KERAJINAN", 0.2),),
    "TANAMAN": (("SAYUR_BUAH", 0.15),),
    "SAYUR_BUAH": (("BERAS", 0.1), ("MAKANAN_KEMASAN", 0.1)),
    "BERAS": (("SAYUR_BUAH", 0.2),),
    "FURNITUR": (("KERAJINAN", 0.2),),
    "MASKER": (("SERAGAM", 0.3),),
    "LAUNDRY": (),
}

# How many local UMKM have each primary category (relative weights).
UMKM_CATEGORY_WEIGHTS: dict[str, int] = {
    "SAYUR_BUAH": 22,
    "MAKANAN_KEMASAN": 30,
    "MINUMAN": 14,
    "SNACK": 26,
    "NASI_KOTAK": 24,
    "BERAS": 10,
    "SERAGAM": 16,
    "BATIK": 10,
    "MASKER": 4,
    "KERAJINAN": 16,
    "ATK": 8,
    "CETAK": 12,
    "FURNITUR": 10,
    "TANAMAN": 18,
    "TAS_SEPATU": 8,
    "LAUNDRY": 10,
}
OUTSIDE_CATEGORY_WEIGHTS: dict[str, int] = {
    "ATK": 4,
    "CETAK": 3,
    "FURNITUR": 3,
    "SERAGAM": 3,
    "BERAS": 3,
    "TAS_SEPATU": 2,
    "NASI_KOTAK": 2,
    "SNACK": 1,
    "MAKANAN_KEMASAN": 2,
    "MASKER": 1,
    "LAUNDRY": 1,
}

# --- Names -----------------------------------------------------------------------------

WOMEN: tuple[str, ...] = (
    "Sri",
    "Yuli",
    "Siti",
    "Wahyuni",
    "Endang",
    "Sulastri",
    "Tutik",
    "Rini",
    "Lilik",
    "Sumiati",
    "Puji",
    "Nanik",
    "Ninik",
    "Erna",
    "Yayuk",
    "Anik",
    "Umi",
    "Suharti",
    "Indah",
    "Retno",
    "Wulan",
    "Dewi",
    "Ratna",
    "Lestari",
    "Atik",
    "Mujiati",
    "Sumarni",
    "Rohmah",
    "Nur",
    "Kartini",
)
MEN: tuple[str, ...] = (
    "Slamet",
    "Agus",
    "Bambang",
    "Heri",
    "Joko",
    "Sugeng",
    "Wahyu",
    "Budi",
    "Eko",
    "Teguh",
    "Yanto",
    "Supri",
    "Darmaji",
    "Hadi",
    "Rudi",
    "Dedi",
    "Imam",
    "Sholeh",
    "Arif",
    "Fajar",
    "Samsul",
    "Mulyono",
    "Gatot",
    "Nur Hadi",
    "Suwito",
    "Didik",
    "Priyo",
    "Kusnadi",
    "Wawan",
    "Andik",
)
SURNAMES: tuple[str, ...] = (
    "Santoso",
    "Wibowo",
    "Susanto",
    "Prasetyo",
    "Hartono",
    "Kurniawan",
    "Rahayu",
    "Lestari",
    "Handayani",
    "Wulandari",
    "Setiawan",
    "Nugroho",
    "Purnomo",
    "Suprapto",
    "Hidayat",
    "Sulistyo",
    "Utami",
    "Pratiwi",
    "Sujarwo",
    "Mariyati",
)
NAME_FIRST: tuple[str, ...] = (
    "Berkah",
    "Sumber",
    "Sinar",
    "Cahaya",
    "Mekar",
    "Tunas",
    "Karya",
    "Putra",
    "Putri",
    "Sekar",
    "Rejeki",
    "Sari",
    "Dewi",
    "Arum",
    "Mitra",
    "Barokah",
    "Sido",
    "Tri",
)
NAME_SECOND: tuple[str, ...] = (
    "Jaya",
    "Makmur",
    "Abadi",
    "Batu",
    "Arjuna",
    "Panderman",
    "Mandiri",
    "Sejahtera",
    "Lestari",
    "Mulia",
    "Bersama",
    "Sentosa",
    "Brantas",
    "Anjasmoro",
    "Rahayu",
    "Rasa",
    "Manunggal",
    "Utama",
)

# Words without a Kota Batu landmark, for suppliers from elsewhere.
NAME_SECOND_GENERIC: tuple[str, ...] = tuple(
    w for w in NAME_SECOND if w not in {"Batu", "Arjuna", "Panderman", "Anjasmoro", "Brantas"}
)

# Name patterns per primary category. {brand}: two words from NAME_FIRST/NAME_SECOND;
# {title} {owner}: "Bu Sri", "Pak Slamet", "Mbak Yuli"; {desa}: the desa.
NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "BERAS": ("Toko Beras {brand}", "Penggilingan Padi {brand}", "Beras {title} {owner}"),
    "SAYUR_BUAH": (
        "Kelompok Tani {brand}",
        "Kebun Apel {title} {owner}",
        "Sayur Segar {brand}",
        "Gapoktan {brand} {desa}",
    ),
    "NASI_KOTAK": (
        "Katering Dapur {title} {owner}",
        "Katering {brand}",
        "Rumah Makan {brand}",
        "Warung {title} {owner}",
    ),
    "SNACK": ("Kue {title} {owner}", "Snack Box {brand}", "Roti {brand}", "Jajan {title} {owner}"),
    "MAKANAN_KEMASAN": (
        "Kripik Apel {title} {owner}",
        "Dodol Apel {brand}",
        "Oleh-oleh {brand}",
        "Jenang Apel {title} {owner}",
    ),
    "MINUMAN": ("Sari Apel {brand}", "Susu Perah {desa}", "Wedang {brand}"),
    "SERAGAM": ("Konveksi {brand}", "Penjahit {title} {owner}", "Garmen {brand}"),
    "BATIK": ("Batik Tulis {brand}", "Sanggar Batik {brand}", "Batik {desa} {title} {owner}"),
    "MASKER": ("Konveksi Masker {brand}", "Jahit {title} {owner}"),
    "KERAJINAN": ("Kerajinan {brand}", "Souvenir {brand}", "Anyaman {title} {owner}"),
    "ATK": ("Toko Alat Tulis {brand}", "Toko Buku dan ATK {brand}"),
    "CETAK": ("Percetakan {brand}", "Digital Printing {brand}", "Sablon {title} {owner}"),
    "FURNITUR": ("Mebel {brand}", "UD Kayu {brand}", "Meubel {title} {owner}"),
    "TANAMAN": ("Kebun Bunga {brand}", "Tanaman Hias {title} {owner}", "Nursery {brand}"),
    "TAS_SEPATU": ("Tas {brand}", "Sepatu {brand}", "Kerajinan Kulit {title} {owner}"),
    "LAUNDRY": ("Laundry {brand}", "Binatu {title} {owner}"),
}
OUTSIDE_NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "ATK": ("CV {brand} Stationery", "PT Graha Kantor {brand}"),
    "CETAK": ("PT Percetakan {brand}", "CV Grafika {brand}"),
    "FURNITUR": ("CV Mebel {brand}", "PT Furnindo {brand}"),
    "SERAGAM": ("CV Konveksi {brand}", "PT Garmen {brand}"),
    "BERAS": ("PT Pangan {brand}", "UD Beras {brand}"),
    "TAS_SEPATU": ("CV Tas {brand}", "PT Sepatu {brand}"),
    "NASI_KOTAK": ("CV Katering {brand}", "PT Boga {brand}"),
    "SNACK": ("CV Roti {brand}",),
    "MAKANAN_KEMASAN": ("PT Aneka Camilan {brand}", "CV Oleh-oleh {brand}"),
    "MASKER": ("CV Tekstil {brand}",),
    "LAUNDRY": ("CV Laundry {brand}",),
}

BANKS: tuple[str, ...] = ("Bank Jatim", "BRI", "BNI", "Bank Mandiri", "BSI", "BCA")
PHONE_PREFIXES: tuple[str, ...] = (
    "0812",
    "0813",
    "0821",
    "0822",
    "0852",
    "0853",
    "0856",
    "0857",
    "0878",
    "0819",
    "0838",
    "0895",
)

REJECT_REASONS: tuple[str, ...] = (
    "NIB tidak sesuai dengan data OSS",
    "Alamat usaha tidak ditemukan saat kunjungan lapangan",
    "Rekening bank atas nama pihak lain, bukan pemilik usaha",
    "Dokumen identitas pemilik tidak terbaca, mohon unggah ulang",
)
SUSPEND_REASONS: tuple[str, ...] = (
    "Sertifikat P-IRT kedaluwarsa, menunggu perpanjangan",
    "Dua kali terlambat mengirim pesanan tanpa pemberitahuan",
    "Pengaduan kualitas produk dari perangkat daerah sedang ditindaklanjuti",
    "Izin usaha sedang diperbarui di DPMPTSP",
)
OFFER_REJECT_REASONS: tuple[str, ...] = (
    "Foto produk tidak jelas",
    "Harga jauh di atas harga pasar setempat",
    "Kapasitas tidak sesuai dengan skala usaha",
)

# --- Showcase suppliers: always present (names fixed), bound to demo supplier users -----


@dataclass(frozen=True)
class ShowcaseSupplier:
    name: str
    owner: str
    region: str
    categories: tuple[str, ...]
    size_class: str
    is_koperasi: bool = False


SHOWCASE: tuple[ShowcaseSupplier, ...] = (
    ShowcaseSupplier("Kripik Apel Bu Sri", "Sri Wahyuni", "Bumiaji", ("MAKANAN_KEMASAN",), "mikro"),
    ShowcaseSupplier(
        "Katering Dapur Mbak Yuli", "Yuli Astutik", "Temas", ("NASI_KOTAK", "SNACK"), "mikro"
    ),
    ShowcaseSupplier(
        "Konveksi Berkah Jaya", "Agus Setiawan", "Ngaglik", ("SERAGAM", "MASKER"), "kecil"
    ),
    ShowcaseSupplier("Batik Tulis Sekar Batu", "Endang Lestari", "Sisir", ("BATIK",), "mikro"),
)

# --- Demo users ------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUserSpec:
    email: str
    full_name: str
    role: str
    agency_code: str | None = None
    supplier_name: str | None = None  # a showcase supplier or a Koperasi Merah Putih


DEMO_USERS: tuple[DemoUserSpec, ...] = (
    DemoUserSpec("admin@demo.batukota.go.id", "Tim Pengelola Diskumdag", "admin"),
    DemoUserSpec(
        "pengadaan.dinkes@demo.batukota.go.id", "Rina Puspitasari", "officer", agency_code="A009"
    ),
    DemoUserSpec(
        "pengadaan.disdik@demo.batukota.go.id", "Bambang Hartono", "officer", agency_code="A008"
    ),
    DemoUserSpec(
        "pengadaan.setda@demo.batukota.go.id", "Dwi Kurniawati", "officer", agency_code="A001"
    ),
    DemoUserSpec(
        "kmp.pandanrejo@demo.umkm.id",
        "Sugeng Riyadi",
        "supplier",
        supplier_name="Koperasi Merah Putih Desa Pandanrejo",
    ),
    DemoUserSpec(
        "kripik.busri@demo.umkm.id", "Sri Wahyuni", "supplier", supplier_name="Kripik Apel Bu Sri"
    ),
    DemoUserSpec("perencana@demo.batukota.go.id", "Hendra Wijaya (Bappeda)", "planner"),
    DemoUserSpec("pemantau@demo.batukota.go.id", "Inspektorat (pemantau)", "viewer"),
)
