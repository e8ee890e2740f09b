import type { Localized } from './localized';

/**
 * Every user-facing sentence of the report that is not a knowledge-base name, in uz, ru and en.
 * `{name}`-style placeholders are filled by `t()` in ../i18n.ts.
 */
export const messages = {
  disclaimer: {
    uz: 'Bu hisobot shifokorga qaror qabul qilishda yordam beradi, tashxis emas. Ball — evristik tartib, ehtimollik emas. Yakuniy xulosa bemorni koʻrgan shifokor tomonidan chiqariladi.',
    ru: 'Этот отчёт — поддержка принятия врачебных решений, а не диагноз. Балл — эвристический ранг, а не вероятность. Окончательное заключение делает врач, осмотревший пациента.',
    en: 'This report is clinical decision support, not a diagnosis. The score is a heuristic rank, not a probability. The final judgement rests with the doctor who examined the patient.',
  },

  'warning.unknown_analyte': {
    uz: '«{code}» tahlili bilim bazasida yoʻq: u faqat laboratoriya chop etgan oraliq boʻyicha baholandi.',
    ru: 'Показатель «{code}» отсутствует в базе знаний: он оценён только по напечатанному интервалу лаборатории.',
    en: 'Analyte "{code}" is not in the knowledge base: it was judged only against the laboratory’s printed interval.',
  },
  'warning.unconvertible_unit': {
    uz: '«{code}» uchun «{unit}» birligi oʻgirilmaydi: qiymat faqat chop etilgan oraliq boʻyicha baholandi, kritik chegaralar va xulosalar qoʻllanmadi.',
    ru: 'Единицу «{unit}» для «{code}» нельзя пересчитать: значение оценено только по напечатанному интервалу, критические пределы и выводы не применялись.',
    en: 'Unit "{unit}" for "{code}" cannot be converted: the value was judged only against the printed interval; critical limits and conditions were not applied.',
  },
  'warning.duplicate_analyte': {
    uz: '«{code}» bir necha marta berilgan: xulosalar uchun birinchi qiymat olindi.',
    ru: '«{code}» указан несколько раз: для выводов использовано первое значение.',
    en: '"{code}" was given more than once: the first value was used for the conditions.',
  },
  'warning.pregnant': {
    uz: 'Homiladorlik ushbu dvigatel doirasidan tashqarida: oraliqlar va chegaralar homilador boʻlmagan kattalar uchun.',
    ru: 'Беременность вне рамок движка: интервалы и пороги рассчитаны на небеременных взрослых.',
    en: 'Pregnancy is outside the engine’s scope: intervals and thresholds are for non-pregnant adults.',
  },
  'warning.under_18': {
    uz: 'Bemor 18 yoshdan kichik: kattalar oraliqlari qoʻllandi, KFT hisoblanmadi; natijalarni pediatrik me’yorlar bilan solishtiring.',
    ru: 'Пациенту меньше 18 лет: применены взрослые интервалы, СКФ не рассчитана; сверьте с педиатрическими нормами.',
    en: 'The patient is under 18: adult intervals were applied and eGFR was not calculated; check against paediatric ranges.',
  },
  'warning.ckd_chronicity': {
    uz: 'Surunkali buyrak kasalligi tashxisi uchun KFT < 60 kamida 3 oy davom etishi kerak (KDIGO 2024); bitta qiymat yetarli emas.',
    ru: 'Для диагноза ХБП СКФ < 60 должна сохраняться более 3 месяцев (KDIGO 2024); одного значения недостаточно.',
    en: 'Chronic kidney disease requires eGFR < 60 for more than 3 months (KDIGO 2024); a single value is not enough.',
  },

  'redflag.critical_low': {
    uz: '{name} {value} {unit} kritik chegaradan ({limit} {siUnit}) past — zudlik bilan baholash kerak.',
    ru: '{name} {value} {unit} ниже критического предела ({limit} {siUnit}) — требуется срочная оценка.',
    en: '{name} {value} {unit} is below the critical limit ({limit} {siUnit}) — needs urgent review.',
  },
  'redflag.critical_high': {
    uz: '{name} {value} {unit} kritik chegaradan ({limit} {siUnit}) yuqori — zudlik bilan baholash kerak.',
    ru: '{name} {value} {unit} выше критического предела ({limit} {siUnit}) — требуется срочная оценка.',
    en: '{name} {value} {unit} is above the critical limit ({limit} {siUnit}) — needs urgent review.',
  },
  'redflag.hypertensive_crisis': {
    uz: 'Arterial bosim juda yuqori (> 180/120 mm sim. ust.): gipertonik kriz, nishon a’zolar zararlanishini zudlik bilan baholang.',
    ru: 'Очень высокое АД (> 180/120 мм рт. ст.): гипертонический криз, срочно оцените поражение органов-мишеней.',
    en: 'Severely raised blood pressure (> 180/120 mmHg): hypertensive crisis, assess for target-organ damage now.',
  },
  'redflag.hypotension': {
    uz: 'Sistolik bosim 90 mm sim. ust.dan past: gipotenziya yoki shok.',
    ru: 'Систолическое АД ниже 90 мм рт. ст.: гипотензия или шок.',
    en: 'Systolic pressure below 90 mmHg: hypotension or shock.',
  },
  'redflag.hypoxaemia': {
    uz: 'SpO2 92 % dan past: gipoksemiya.',
    ru: 'SpO2 ниже 92 %: гипоксемия.',
    en: 'SpO2 below 92 %: hypoxaemia.',
  },
  'redflag.tachycardia': {
    uz: 'Yurak urishi daqiqasiga 130 dan ortiq.',
    ru: 'ЧСС более 130 в минуту.',
    en: 'Heart rate above 130/min.',
  },
  'redflag.bradycardia': {
    uz: 'Yurak urishi daqiqasiga 40 dan kam.',
    ru: 'ЧСС менее 40 в минуту.',
    en: 'Heart rate below 40/min.',
  },
  'redflag.tachypnoea': {
    uz: 'Nafas soni daqiqasiga 30 va undan koʻp.',
    ru: 'ЧДД 30 в минуту и более.',
    en: 'Respiratory rate 30/min or more.',
  },
  'redflag.hyperpyrexia': {
    uz: 'Tana harorati 39,5 °C va undan yuqori.',
    ru: 'Температура тела 39,5 °C и выше.',
    en: 'Temperature 39.5 °C or higher.',
  },
  'redflag.sepsis_screen': {
    uz: 'Sepsisga xos ikki yoki undan ortiq belgi (T > 38,3 °C, YuUS > 100, NS > 22, SAB ≤ 100): sepsisni zudlik bilan istisno qiling.',
    ru: 'Два и более признака сепсиса (T > 38,3 °C, ЧСС > 100, ЧДД > 22, САД ≤ 100): срочно исключите сепсис.',
    en: 'Two or more sepsis-like signs (T > 38.3 °C, HR > 100, RR > 22, SBP ≤ 100): rule out sepsis urgently.',
  },
  'redflag.phrase.chest_pain': {
    uz: 'Koʻkrakda ogʻriq yoki siqilish: oʻtkir koronar sindromni istisno qiling (EKG, troponin).',
    ru: 'Боль или давление в груди: исключите острый коронарный синдром (ЭКГ, тропонин).',
    en: 'Chest pain or pressure: rule out acute coronary syndrome (ECG, troponin).',
  },
  'redflag.phrase.breathless_at_rest': {
    uz: 'Tinch holatda hansirash yoki boʻgʻilish.',
    ru: 'Одышка в покое или удушье.',
    en: 'Breathlessness at rest.',
  },
  'redflag.phrase.syncope': {
    uz: 'Hushdan ketish: aritmiya va boshqa xavfli sabablarni istisno qiling.',
    ru: 'Обморок: исключите аритмию и другие опасные причины.',
    en: 'Fainting or loss of consciousness: rule out arrhythmia and other dangerous causes.',
  },
  'redflag.phrase.focal_neurology': {
    uz: 'Tananing bir tomonida kuchsizlik yoki uvishish: insultni istisno qiling.',
    ru: 'Слабость или онемение одной стороны тела: исключите инсульт.',
    en: 'One-sided weakness or numbness: rule out stroke.',
  },
  'redflag.phrase.speech_disturbance': {
    uz: 'Nutq buzilishi: insultni istisno qiling.',
    ru: 'Нарушение речи: исключите инсульт.',
    en: 'Speech disturbance: rule out stroke.',
  },
  'redflag.phrase.thunderclap_headache': {
    uz: 'Toʻsatdan kuchli bosh ogʻrigʻi: subaraxnoidal qon quyilishni istisno qiling.',
    ru: 'Внезапная сильная головная боль: исключите субарахноидальное кровоизлияние.',
    en: 'Sudden severe headache: rule out subarachnoid haemorrhage.',
  },
  'redflag.phrase.gi_bleeding': {
    uz: 'Qon qusish yoki qora najas: oshqozon-ichak qon ketishi.',
    ru: 'Рвота кровью или чёрный стул: желудочно-кишечное кровотечение.',
    en: 'Vomiting blood or black stools: gastrointestinal bleeding.',
  },
  'redflag.phrase.confusion': {
    uz: 'Ong chalkashligi.',
    ru: 'Спутанность сознания.',
    en: 'Confusion.',
  },
  'redflag.phrase.seizure': {
    uz: 'Tutqanoq xuruji.',
    ru: 'Судорожный приступ.',
    en: 'Seizure.',
  },
  'redflag.phrase.haemoptysis': {
    uz: 'Qon tupurish.',
    ru: 'Кровохарканье.',
    en: 'Coughing up blood.',
  },

  'evidence.lab': {
    uz: '{name} {value} {unit} {op} {threshold} {siUnit}',
    ru: '{name} {value} {unit} {op} {threshold} {siUnit}',
    en: '{name} {value} {unit} {op} {threshold} {siUnit}',
  },
  'evidence.flag': {
    uz: '{name} {value} {unit}: {flag}',
    ru: '{name} {value} {unit}: {flag}',
    en: '{name} {value} {unit}: {flag}',
  },
  'evidence.fact': {
    uz: '{name} {value} {op} {threshold}',
    ru: '{name} {value} {op} {threshold}',
    en: '{name} {value} {op} {threshold}',
  },
  'evidence.vital': {
    uz: '{name} {value} {unit}',
    ru: '{name} {value} {unit}',
    en: '{name} {value} {unit}',
  },
  'evidence.not_measured': {
    uz: '{name} oʻlchanmagan',
    ru: '{name} не определялся',
    en: '{name} not measured',
  },
  'evidence.symptom': {
    uz: 'Shikoyat: {name} («{text}»)',
    ru: 'Жалоба: {name} («{text}»)',
    en: 'Complaint: {name} (“{text}”)',
  },
  'evidence.history': {
    uz: 'Anamnez: {name}',
    ru: 'Анамнез: {name}',
    en: 'History: {name}',
  },
  'evidence.diabetes_unconfirmed': {
    uz: 'Faqat bitta koʻrsatkich diabet chegarasida: ADA 2025 boʻyicha takroriy tahlil bilan tasdiqlash kerak.',
    ru: 'Порог диабета превышен только одним показателем: по ADA 2025 нужен повторный анализ.',
    en: 'Only one test is in the diabetes range: ADA 2025 requires confirmation by a second abnormal result.',
  },
  'evidence.ckd_single_value': {
    uz: 'Bitta qiymat: KDIGO 2024 boʻyicha KFT pasayishi 3 oydan ortiq davom etishi kerak.',
    ru: 'Одно значение: по KDIGO 2024 снижение СКФ должно сохраняться более 3 месяцев.',
    en: 'Single value: KDIGO 2024 requires reduced eGFR for more than 3 months.',
  },
  'evidence.ckd_anaemia': {
    uz: 'KFT < 60: buyrak anemiyasi boʻlishi mumkin.',
    ru: 'СКФ < 60: возможна почечная анемия.',
    en: 'eGFR < 60: anaemia of kidney disease is possible.',
  },
  'evidence.folate_not_measured': {
    uz: 'Foliy kislotasi oʻlchanmagan; B12 me’yorida.',
    ru: 'Фолаты не определялись; B12 в норме.',
    en: 'Folate not measured; B12 is normal.',
  },
  'evidence.secondary_dyslipidaemia': {
    uz: 'TTG yuqori: dislipidemiya gipotireozga ikkilamchi boʻlishi mumkin.',
    ru: 'ТТГ повышен: дислипидемия может быть вторичной (гипотиреоз).',
    en: 'TSH is raised: the dyslipidaemia may be secondary to hypothyroidism.',
  },
  'evidence.pseudohyperkalaemia': {
    uz: 'Namuna gemolizini (psevdogiperkaliemiya) istisno qiling.',
    ru: 'Исключите гемолиз пробы (псевдогиперкалиемию).',
    en: 'Exclude a haemolysed sample (pseudohyperkalaemia).',
  },
  'evidence.exclude_alcohol_viral': {
    uz: 'Alkogol va virusli gepatitni istisno qilish kerak.',
    ru: 'Нужно исключить алкоголь и вирусные гепатиты.',
    en: 'Alcohol and viral hepatitis need to be excluded.',
  },
  'evidence.ggt_normal': {
    uz: 'GGT me’yorida: ishqoriy fosfataza suyakdan boʻlishi mumkin.',
    ru: 'ГГТ в норме: ЩФ может быть костного происхождения.',
    en: 'GGT is normal: the ALP may come from bone.',
  },
  'evidence.acute_kidney_injury': {
    uz: 'Oʻtkir holat fonida KFT pasaygan: oʻtkir buyrak shikastlanishi surunkali kasallikdan ehtimolroq.',
    ru: 'СКФ снижена на фоне острого состояния: острое повреждение почек вероятнее хронического.',
    en: 'eGFR is low during an acute illness: acute kidney injury is more likely than chronic disease.',
  },

  'flag.N': { uz: 'me’yorda', ru: 'в норме', en: 'within the interval' },
  'flag.L': { uz: 'me’yordan past', ru: 'ниже нормы', en: 'below the interval' },
  'flag.H': { uz: 'me’yordan yuqori', ru: 'выше нормы', en: 'above the interval' },
  'flag.LL': {
    uz: 'kritik chegaradan past',
    ru: 'ниже критического предела',
    en: 'below the critical limit',
  },
  'flag.HH': {
    uz: 'kritik chegaradan yuqori',
    ru: 'выше критического предела',
    en: 'above the critical limit',
  },

  'fact.egfr': { uz: 'KFT (CKD-EPI 2021)', ru: 'СКФ (CKD-EPI 2021)', en: 'eGFR (CKD-EPI 2021)' },
  'fact.bmi': { uz: 'TVI', ru: 'ИМТ', en: 'BMI' },
  'fact.anion_gap': { uz: 'Anion oraligʻi', ru: 'Анионный интервал', en: 'Anion gap' },
  'fact.calcium_adjusted': {
    uz: 'Kalsiy (albuminga tuzatilgan)',
    ru: 'Кальций (с поправкой на альбумин)',
    en: 'Calcium (albumin-corrected)',
  },
  'fact.liver_r': { uz: 'R nisbati', ru: 'Коэффициент R', en: 'R ratio' },
  'fact.alt_uln': {
    uz: 'ALT / me’yorning yuqori chegarasi',
    ru: 'АЛТ / верхняя граница нормы',
    en: 'ALT / upper limit of normal',
  },
  'fact.sepsis_signs': {
    uz: 'Sepsis belgilari soni',
    ru: 'Число признаков сепсиса',
    en: 'Sepsis-like signs',
  },

  'vital.systolicBp': { uz: 'Sistolik bosim', ru: 'Систолическое АД', en: 'Systolic BP' },
  'vital.diastolicBp': { uz: 'Diastolik bosim', ru: 'Диастолическое АД', en: 'Diastolic BP' },
  'vital.heartRate': { uz: 'Yurak urishi', ru: 'ЧСС', en: 'Heart rate' },
  'vital.respiratoryRate': { uz: 'Nafas soni', ru: 'ЧДД', en: 'Respiratory rate' },
  'vital.temperatureC': { uz: 'Harorat', ru: 'Температура', en: 'Temperature' },
  'vital.spo2': { uz: 'SpO2', ru: 'SpO2', en: 'SpO2' },

  'symptom.respiratory': {
    uz: 'yoʻtal yoki balgʻam',
    ru: 'кашель или мокрота',
    en: 'cough or sputum',
  },
  'symptom.urinary': {
    uz: 'siyishda achishish yoki ogʻriq',
    ru: 'жжение или боль при мочеиспускании',
    en: 'burning or pain on passing urine',
  },
  'symptom.flank_pain': { uz: 'bel ogʻrigʻi', ru: 'боль в пояснице', en: 'flank pain' },
  'symptom.fever': { uz: 'isitma', ru: 'лихорадка', en: 'fever' },
  'symptom.joint': {
    uz: 'boʻgʻim ogʻrigʻi yoki shishi',
    ru: 'боль или отёк сустава',
    en: 'joint pain or swelling',
  },
  'symptom.polyuria_polydipsia': {
    uz: 'chanqash, koʻp siyish',
    ru: 'жажда, частое мочеиспускание',
    en: 'thirst, passing much urine',
  },
  'symptom.bleeding': { uz: 'qon ketish', ru: 'кровоточивость', en: 'bleeding' },
  'symptom.jaundice': {
    uz: 'sariqlik, toʻq siydik',
    ru: 'желтуха, тёмная моча',
    en: 'jaundice, dark urine',
  },
  'symptom.pruritus': { uz: 'teri qichishi', ru: 'кожный зуд', en: 'itching' },
  'symptom.right_upper_quadrant': {
    uz: 'oʻng qovurgʻa ostida ogʻriq',
    ru: 'боль в правом подреберье',
    en: 'right upper abdominal pain',
  },
  'symptom.hypothyroid_symptoms': {
    uz: 'gipotireozga xos belgilar',
    ru: 'признаки гипотиреоза',
    en: 'symptoms of hypothyroidism',
  },
  'symptom.thyrotoxic_symptoms': {
    uz: 'tireotoksikozga xos belgilar',
    ru: 'признаки тиреотоксикоза',
    en: 'symptoms of thyrotoxicosis',
  },
  'symptom.neuropathy_glossitis': {
    uz: 'uvishish yoki til achishishi',
    ru: 'онемение или жжение языка',
    en: 'numbness or sore tongue',
  },
  'symptom.gi_fluid_loss': {
    uz: 'ich ketish yoki qusish',
    ru: 'диарея или рвота',
    en: 'diarrhoea or vomiting',
  },
  'symptom.pica': {
    uz: 'muz yoki boʻr yeyish istagi',
    ru: 'тяга ко льду или мелу',
    en: 'craving ice or chalk',
  },

  'history.diabetes': { uz: 'qandli diabet', ru: 'сахарный диабет', en: 'diabetes' },
  'history.hypoglycaemic_drugs': {
    uz: 'insulin yoki sulfonilmochevina',
    ru: 'инсулин или препараты сульфонилмочевины',
    en: 'insulin or a sulfonylurea',
  },
  'history.hypertension': {
    uz: 'arterial gipertenziya',
    ru: 'артериальная гипертензия',
    en: 'hypertension',
  },
  'history.chronic_kidney': {
    uz: 'buyrak funksiyasi ilgari ham pasaygan',
    ru: 'снижение функции почек и ранее',
    en: 'kidney function reduced before',
  },
  'history.heavy_menses': {
    uz: 'koʻp qon ketadigan hayz',
    ru: 'обильные менструации',
    en: 'heavy menstrual bleeding',
  },
  'history.potassium_losing_drugs': {
    uz: 'tiazid yoki halqali diuretik',
    ru: 'тиазидный или петлевой диуретик',
    en: 'thiazide or loop diuretic',
  },
  'history.potassium_retaining_drugs': {
    uz: 'AAF ingibitori, ARB yoki spironolakton',
    ru: 'иАПФ, БРА или спиронолактон',
    en: 'ACE inhibitor, ARB or spironolactone',
  },
  'history.kidney_stones': { uz: 'buyrak toshi', ru: 'камни в почках', en: 'kidney stones' },
  'history.b12_risk': {
    uz: 'B12 soʻrilishining buzilishi xavfi',
    ru: 'риск нарушения всасывания B12',
    en: 'risk of B12 malabsorption',
  },

  'specialty.haematology': { uz: 'Gematolog', ru: 'Гематолог', en: 'Haematology' },
  'specialty.gastroenterology': {
    uz: 'Gastroenterolog',
    ru: 'Гастроэнтеролог',
    en: 'Gastroenterology',
  },
  'specialty.gynaecology': { uz: 'Ginekolog', ru: 'Гинеколог', en: 'Gynaecology' },
  'specialty.endocrinology': { uz: 'Endokrinolog', ru: 'Эндокринолог', en: 'Endocrinology' },
  'specialty.nephrology': { uz: 'Nefrolog', ru: 'Нефролог', en: 'Nephrology' },
  'specialty.rheumatology': { uz: 'Revmatolog', ru: 'Ревматолог', en: 'Rheumatology' },
  'specialty.emergency': {
    uz: 'Shoshilinch tibbiy yordam',
    ru: 'Неотложная помощь',
    en: 'Emergency department',
  },
  'specialty.urology': { uz: 'Urolog', ru: 'Уролог', en: 'Urology' },

  'derived.egfr.G1': {
    uz: 'KFT ≥ 90: G1 (normal yoki yuqori)',
    ru: 'СКФ ≥ 90: G1 (нормальная или высокая)',
    en: 'eGFR ≥ 90: G1 (normal or high)',
  },
  'derived.egfr.G2': {
    uz: 'KFT 60–89: G2 (biroz pasaygan)',
    ru: 'СКФ 60–89: G2 (незначительно снижена)',
    en: 'eGFR 60–89: G2 (mildly decreased)',
  },
  'derived.egfr.G3a': {
    uz: 'KFT 45–59: G3a (oʻrtacha pasaygan)',
    ru: 'СКФ 45–59: G3a (умеренно снижена)',
    en: 'eGFR 45–59: G3a (mildly to moderately decreased)',
  },
  'derived.egfr.G3b': {
    uz: 'KFT 30–44: G3b (sezilarli pasaygan)',
    ru: 'СКФ 30–44: G3b (существенно снижена)',
    en: 'eGFR 30–44: G3b (moderately to severely decreased)',
  },
  'derived.egfr.G4': {
    uz: 'KFT 15–29: G4 (keskin pasaygan)',
    ru: 'СКФ 15–29: G4 (резко снижена)',
    en: 'eGFR 15–29: G4 (severely decreased)',
  },
  'derived.egfr.G5': {
    uz: 'KFT < 15: G5 (buyrak yetishmovchiligi)',
    ru: 'СКФ < 15: G5 (почечная недостаточность)',
    en: 'eGFR < 15: G5 (kidney failure)',
  },
  'derived.bmi.underweight': {
    uz: 'TVI < 18,5: tana vazni yetishmasligi',
    ru: 'ИМТ < 18,5: дефицит массы тела',
    en: 'BMI < 18.5: underweight',
  },
  'derived.bmi.normal': {
    uz: 'TVI 18,5–24,9: normal vazn',
    ru: 'ИМТ 18,5–24,9: нормальная масса тела',
    en: 'BMI 18.5–24.9: normal weight',
  },
  'derived.bmi.overweight': {
    uz: 'TVI 25–29,9: ortiqcha vazn',
    ru: 'ИМТ 25–29,9: избыточная масса тела',
    en: 'BMI 25–29.9: overweight',
  },
  'derived.bmi.obesity1': {
    uz: 'TVI 30–34,9: I darajali semizlik',
    ru: 'ИМТ 30–34,9: ожирение I степени',
    en: 'BMI 30–34.9: obesity class I',
  },
  'derived.bmi.obesity2': {
    uz: 'TVI 35–39,9: II darajali semizlik',
    ru: 'ИМТ 35–39,9: ожирение II степени',
    en: 'BMI 35–39.9: obesity class II',
  },
  'derived.bmi.obesity3': {
    uz: 'TVI ≥ 40: III darajali semizlik',
    ru: 'ИМТ ≥ 40: ожирение III степени',
    en: 'BMI ≥ 40: obesity class III',
  },
  'derived.anion_gap.low': {
    uz: 'Anion oraligʻi past (< 3): gipoalbuminemiya yoki oʻlchash xatosi',
    ru: 'Анионный интервал снижен (< 3): гипоальбуминемия или ошибка измерения',
    en: 'Low anion gap (< 3): hypoalbuminaemia or measurement error',
  },
  'derived.anion_gap.normal': {
    uz: 'Anion oraligʻi me’yorda (3–11)',
    ru: 'Анионный интервал в норме (3–11)',
    en: 'Normal anion gap (3–11)',
  },
  'derived.anion_gap.high': {
    uz: 'Anion oraligʻi yuqori (> 11): yuqori anion oraliqli metabolik atsidoz (laktat, ketonlar, buyrak yetishmovchiligi)',
    ru: 'Анионный интервал повышен (> 11): метаболический ацидоз с высоким анионным интервалом (лактат, кетоны, почечная недостаточность)',
    en: 'High anion gap (> 11): high-anion-gap metabolic acidosis (lactate, ketones, kidney failure)',
  },
  'derived.corrected_calcium.low': {
    uz: 'Tuzatilgan kalsiy past (< 2,15 mmol/L)',
    ru: 'Скорректированный кальций снижен (< 2,15 ммоль/л)',
    en: 'Corrected calcium low (< 2.15 mmol/L)',
  },
  'derived.corrected_calcium.normal': {
    uz: 'Tuzatilgan kalsiy me’yorda (2,15–2,55 mmol/L)',
    ru: 'Скорректированный кальций в норме (2,15–2,55 ммоль/л)',
    en: 'Corrected calcium normal (2.15–2.55 mmol/L)',
  },
  'derived.corrected_calcium.high': {
    uz: 'Tuzatilgan kalsiy yuqori (> 2,55 mmol/L)',
    ru: 'Скорректированный кальций повышен (> 2,55 ммоль/л)',
    en: 'Corrected calcium high (> 2.55 mmol/L)',
  },
  'derived.non_hdl.desirable': {
    uz: 'HDL boʻlmagan xolesterin < 3,36 mmol/L (130 mg/dL): maqbul',
    ru: 'Холестерин не-ЛПВП < 3,36 ммоль/л (130 мг/дл): желательный',
    en: 'Non-HDL cholesterol < 3.36 mmol/L (130 mg/dL): desirable',
  },
  'derived.non_hdl.borderline': {
    uz: 'HDL boʻlmagan xolesterin 3,36–4,90 mmol/L (130–189 mg/dL): maqbuldan yuqori',
    ru: 'Холестерин не-ЛПВП 3,36–4,90 ммоль/л (130–189 мг/дл): выше желательного',
    en: 'Non-HDL cholesterol 3.36–4.90 mmol/L (130–189 mg/dL): above desirable',
  },
  'derived.non_hdl.high': {
    uz: 'HDL boʻlmagan xolesterin ≥ 4,91 mmol/L (190 mg/dL): yuqori',
    ru: 'Холестерин не-ЛПВП ≥ 4,91 ммоль/л (190 мг/дл): высокий',
    en: 'Non-HDL cholesterol ≥ 4.91 mmol/L (190 mg/dL): high',
  },
} as const satisfies Record<string, Localized>;

export type MessageKey = keyof typeof messages;
