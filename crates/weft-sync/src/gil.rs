pub struct Gil;
