import LMDBKit
